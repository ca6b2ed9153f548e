// Plugins that misbehave inside a running host — a sink that throws,
// returns a fatal or a garbage status, blocks in flush(), or is slow —
// with the fixture sinks of tests/fixtures. The host reports the plugin and
// the call, restarts the connector, loses nothing, keeps the connectors
// beside it running, and keeps its memory bounded while records wait. A
// sink that answers RDC_RETRY is retried, and each retry counted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "host_fixture.hpp"
#include "kafka_records.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr int32_t kPartitions = 2;
constexpr int kRecords = 3000;
constexpr int kFailAt = 1000;

std::filesystem::path fixture_directory() { return RDCONNECT_FIXTURE_DIR; }

// The "PARTITION OFFSET" lines the fixture sinks write per flushed record.
Coordinates flushed_coordinates(const std::filesystem::path& out) {
  Coordinates result;
  for (const std::string& line : read_lines(out)) {
    std::istringstream fields(line);
    int32_t partition = 0;
    int64_t offset = 0;
    fields >> partition >> offset;
    EXPECT_TRUE(fields && fields.eof()) << "malformed line: " << line;
    result.emplace(partition, offset);
  }
  return result;
}

Coordinates topic_coordinates(const std::string& topic) {
  Coordinates result;
  for (const KafkaRecord& record : read_records(topic)) {
    result.emplace(record.partition, record.offset);
  }
  return result;
}

// The last progress line the host printed for `connector`.
std::string last_status_line(const std::string& output,
                             const std::string& connector) {
  const std::string marker = "sink " + connector + " ";
  const size_t at = output.rfind(marker);
  if (at == std::string::npos) return "";
  return output.substr(at, output.find('\n', at) - at);
}

// The resident set size of process `pid` in bytes, from /proc.
int64_t resident_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stoll(line.substr(6)) * 1024;
    }
  }
  return 0;
}

struct PluginFault {
  std::string name;
  std::string plugin;
  /// fault_sink's mode; empty for throwing_sink, which only throws.
  std::string mode;
  /// How the host reports the failure.
  std::string report;
};

// Names the case in failure messages, instead of the struct's bytes.
void PrintTo(const PluginFault& fault, std::ostream* out) {
  *out << fault.name;
}

class PluginFaultTest : public HostTest {
 protected:
  PluginFaultTest() {
    create_topic(topic_, kPartitions);
    std::vector<KafkaRecord> records;
    for (int n = 0; n < kRecords; ++n) {
      const std::string digits = std::to_string(n);
      records.push_back({.partition = n % kPartitions,
                         .timestamp_ms = 1'700'000'000'000 + n,
                         .key = "00000000-0000-4000-8000-" +
                                std::string(12 - digits.size(), '0') + digits,
                         .value = R"({"n":)" + digits + "}",
                         .headers = {}});
    }
    produce_records(topic_, records);
  }

  // The misbehaving sink (`sink_lines`: lines added to its [[sink]] table)
  // beside a log_sink reading the same topic in a group of its own.
  // `plugin_lines`: lines added to its [sink.config] table.
  std::string config(const std::string& plugin, const std::string& mode,
                     const std::string& sink_lines = "",
                     const std::string& plugin_lines = "") const {
    std::string text =
        std::string(kConfigPrelude) +

        "[[sink]]\nname = \"faulty\"\nplugin = \"" + plugin +
        "\"\ntopics = [\"" + topic_ + "\"]\ngroup_id = \"" +
        unique_name("rdconnect-faulty") +
        "\"\ntasks = 1\nflush_interval_ms = 200\nmax_batch_records = 100\n" +
        sink_lines + "[sink.restart]\ninitial_delay_ms = 200\n[sink.config]\n";
    if (!mode.empty()) text += "mode = \"" + mode + "\"\n";
    text += "fail_at = " + std::to_string(kFailAt) + "\nmarker = \"" +
            (scratch_ / "marker").string() + "\"\nout = \"" +
            out_path().string() + "\"\n" + plugin_lines +
            "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\ntopics = [\"" +
            topic_ + "\"]\ngroup_id = \"" + unique_name("rdconnect-log") +
            "\"\nflush_interval_ms = 200\n[sink.config]\npath = \"" +
            log_path().string() + "\"\nformat = \"json\"\n";
    return text;
  }

  std::filesystem::path out_path() const { return scratch_ / "faulty.out"; }
  std::filesystem::path log_path() const { return scratch_ / "log.jsonl"; }

  // Runs `config` with --until-caught-up to exit code 0; returns stderr.
  std::string run_to_the_end(const std::string& config) {
    auto host = start_host(
        write_config("faults.toml", config),
        {"--until-caught-up", "--plugin-path", fixture_directory().string()});
    const std::optional<int> code = host->wait(60s);
    EXPECT_EQ(code, std::optional<int>(0)) << host->stderr_text();
    return host->stderr_text();
  }

  // The misbehaving sink was restarted once and then wrote every record:
  // what it flushed before the failure was committed, and what it was
  // given after its last flush died with it, so each offset is written
  // exactly once. The log_sink never noticed: it has every record once.
  void expect_nothing_lost(const std::string& output) {
    EXPECT_THAT(output, HasSubstr("restarting in 200 ms (restart 1 of 10)"));
    const std::string status = last_status_line(output, "faulty");
    EXPECT_THAT(status, HasSubstr("restarts=1")) << status;
    EXPECT_THAT(status, HasSubstr("lag=0")) << status;

    const Coordinates topic = topic_coordinates(topic_);
    ASSERT_EQ(topic.size(), static_cast<size_t>(kRecords));
    EXPECT_EQ(flushed_coordinates(out_path()), topic);
    const std::vector<LoggedRecord> logged = parse_log(read_lines(log_path()));
    EXPECT_EQ(logged.size(), static_cast<size_t>(kRecords));
    EXPECT_EQ(coordinates(logged), topic);
    EXPECT_THAT(last_status_line(output, "log"),
                ::testing::Not(HasSubstr("restarts=")));
  }

  std::string topic_ = unique_name("plugin-faults");
};

class FailingPutTest : public PluginFaultTest,
                       public ::testing::WithParamInterface<PluginFault> {};

TEST_P(FailingPutTest, IsReportedWithThePluginAndRestartedWithNothingLost) {
  const PluginFault& fault = GetParam();
  const std::string output = run_to_the_end(config(fault.plugin, fault.mode));
  EXPECT_THAT(output,
              HasSubstr("[faulty#0] sink task failed: " + fault.report));
  expect_nothing_lost(output);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FailingPutTest,
    ::testing::Values(
        PluginFault{"Throws", "throwing_sink", "",
                    "plugin 'throwing_sink' put(): throwing_sink: thrown on "
                    "purpose in the put() that saw record 1000"},
        PluginFault{"ReturnsFatal", "fault_sink", "fatal",
                    "plugin 'fault_sink' put(): fault_sink: failing on "
                    "purpose in the put() that saw record 1000"},
        PluginFault{"ReturnsGarbage", "fault_sink", "garbage",
                    "plugin 'fault_sink' put(): no reason given (returned "
                    "unknown status 42)"}),
    [](const auto& info) { return info.param.name; });

// The same batch is put again after each RDC_RETRY: nothing is restarted,
// the records reach the sink once each, and /metrics and the status count
// exactly the retries (the first answer's retry among them).
TEST_F(PluginFaultTest, ASinkAnsweringRetryIsRetriedAndEachRetryCounted) {
  constexpr int kRetries = 4;
  auto host = start_host(
      write_config("faults.toml",
                   config("fault_sink", "retry", "",
                          "retries = " + std::to_string(kRetries) + "\n")),
      {"--plugin-path", fixture_directory().string(), "--http-listen",
       "127.0.0.1:0"});
  const int port = wait_for_http_port(*host);
  ASSERT_NE(port, 0) << host->stderr_text();
  ASSERT_TRUE(wait_for(
      [&] {
        return read_lines(out_path()).size() >= static_cast<size_t>(kRecords) &&
               read_lines(log_path()).size() >= static_cast<size_t>(kRecords);
      },
      60s))
      << host->stderr_text();
  // Both sinks flush every record's key and value bytes once; the commit
  // after the flush counts them.
  size_t bytes = 0;
  for (const KafkaRecord& record : read_records(topic_)) {
    bytes += record.key.value_or("").size() + record.value.value_or("").size();
  }
  const auto bytes_line = [&](const std::string& sink) {
    return "\nrdconnect_connector_bytes_total{connector=\"" + sink +
           "\",type=\"sink\"} " + std::to_string(bytes) + "\n";
  };
  httplib::Client client("127.0.0.1", port);
  std::string metrics;
  ASSERT_TRUE(wait_for(
      [&] {
        const httplib::Result scraped = client.Get("/metrics");
        metrics = scraped && scraped->status == 200 ? scraped->body : "";
        return metrics.find(bytes_line("faulty")) != std::string::npos &&
               metrics.find(bytes_line("log")) != std::string::npos;
      },
      30s))
      << bytes_line("faulty") << metrics;
  EXPECT_THAT(metrics,
              HasSubstr("\nrdconnect_connector_retries_total{connector="
                        "\"faulty\",type=\"sink\"} " +
                        std::to_string(kRetries) + "\n"));
  EXPECT_THAT(metrics,
              HasSubstr("\nrdconnect_connector_retries_total{connector="
                        "\"log\",type=\"sink\"} 0\n"));
  const httplib::Result status = client.Get("/connectors/faulty/status");
  ASSERT_TRUE(status && status->status == 200);
  const nlohmann::json body = nlohmann::json::parse(status->body);
  EXPECT_EQ(body["retries"], kRetries) << body.dump();
  EXPECT_EQ(body["restarts"], 0) << body.dump();
  host->send_signal(SIGTERM);
  ASSERT_EQ(host->wait(60s), std::optional<int>(0)) << host->stderr_text();

  const std::string output = host->stderr_text();
  size_t warned = 0;
  for (size_t at = output.find("busy on purpose"); at != std::string::npos;
       at = output.find("busy on purpose", at + 1)) {
    ++warned;
  }
  EXPECT_EQ(warned, static_cast<size_t>(kRetries)) << output;
  const Coordinates topic = topic_coordinates(topic_);
  ASSERT_EQ(topic.size(), static_cast<size_t>(kRecords));
  EXPECT_EQ(read_lines(out_path()).size(), static_cast<size_t>(kRecords));
  EXPECT_EQ(flushed_coordinates(out_path()), topic);
  EXPECT_EQ(coordinates(parse_log(read_lines(log_path()))), topic);
}

// The stuck thread cannot be stopped, so its consumer stays in the group,
// holding the partitions the restarted connector needs, until it misses
// max.poll.interval.ms; librdkafka wants that at least session.timeout.ms,
// whose default is 45 s, so both are lowered to keep the test short.
TEST_F(PluginFaultTest, FlushThatNeverReturnsIsAbandonedAndRestarted) {
  const std::string output =
      run_to_the_end(config("fault_sink", "block_flush",
                            "call_timeout_ms = 2000\n"
                            "[sink.kafka]\n\"max.poll.interval.ms\" = 10000\n"
                            "\"session.timeout.ms\" = 6000\n"));
  EXPECT_THAT(output, HasSubstr("plugin call flush() of sink 'faulty' has not "
                                "returned after 2000 ms"));
  expect_nothing_lost(output);
}

// A slow sink with 1,000,000 records (about 340 MB) waiting behind it: the
// host fetches ahead only as far as its prefetch queue allows and leaves the
// rest in Kafka, rather than buffering what the sink cannot take.
constexpr size_t kWaitingRecords = 1'000'000;
// Measured peak: about 73 MiB in a Debug build — some 45 MiB of binary,
// libraries and heap before the first fetch, plus the sink task's 16 MiB
// prefetch queue (queued.max.messages.kbytes) with librdkafka's fetch
// buffers around it. The bound is twice that; a host that buffered the
// waiting records would pass it within seconds.
constexpr int64_t kMaxResidentBytes = 150LL << 20;
constexpr auto kMeasuredFor = 8s;

class SlowSinkTest : public HostTest {
 protected:
  std::filesystem::path producer_config() {
    return write_config(
        "produce.toml",
        "[kafka]\n\"bootstrap.servers\" = \"${env:KAFKA_BOOTSTRAP}\"\n"
        "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
        "topic = \"" +
            topic_ +
            "\"\npartitioner = \"uuid_mod\"\n"
            "[source.topic_creation]\npartitions = 2\n"
            "[source.config]\ncount = " +
            std::to_string(kWaitingRecords) + "\nvalue_bytes = 300\n");
  }

  // At most 500 records per 20 ms: some 25,000 a second.
  std::filesystem::path slow_sink_config() {
    return write_config(
        "slow.toml",
        "[kafka]\n\"bootstrap.servers\" = \"${env:KAFKA_BOOTSTRAP}\"\n"
        "[[sink]]\nname = \"slow\"\nplugin = \"fault_sink\"\n"
        "topics = [\"" +
            topic_ + "\"]\ngroup_id = \"" + unique_name("rdconnect-slow") +
            "\"\ntasks = 1\n"
            "max_batch_records = 500\n"
            "[sink.config]\nmode = \"slow\"\nsleep_ms = 20\nout = \"" +
            out_path().string() + "\"\n");
  }

  std::filesystem::path out_path() const { return scratch_ / "slow.out"; }

  std::string topic_ = unique_name("slow-sink");
};

TEST_F(SlowSinkTest, HostMemoryStaysBoundedWhileAMillionRecordsWait) {
  ASSERT_NO_FATAL_FAILURE(run_until_caught_up(producer_config()));
  auto host = start_host(slow_sink_config(),
                         {"--plugin-path", fixture_directory().string()});
  // Measured from the first flush on, once fetching has begun.
  ASSERT_TRUE(wait_for([&] { return !read_lines(out_path()).empty(); }, 60s))
      << host->stderr_text();
  const size_t flushed_before = read_lines(out_path()).size();
  int64_t peak = 0;
  const auto end = std::chrono::steady_clock::now() + kMeasuredFor;
  while (std::chrono::steady_clock::now() < end) {
    peak = std::max(peak, resident_bytes(host->pid()));
    std::this_thread::sleep_for(100ms);  // the sampling period
  }
  host->send_signal(SIGTERM);
  ASSERT_EQ(host->wait(30s), std::optional<int>(0)) << host->stderr_text();

  RecordProperty("peak_resident_bytes", std::to_string(peak));
  EXPECT_GT(peak, 0);
  EXPECT_LT(peak, kMaxResidentBytes)
      << "peak resident set: " << (peak >> 20) << " MiB";
  const size_t flushed = read_lines(out_path()).size();
  EXPECT_GT(flushed, flushed_before);
  EXPECT_LT(flushed, kWaitingRecords / 2);
}

}  // namespace
}  // namespace rdconnect::testing
