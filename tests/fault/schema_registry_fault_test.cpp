// The schema registry stops for ten seconds while a sink reads records of a
// schema it has not seen yet: the convert stage retries, decodes nothing
// meanwhile, dead-letters nothing, and once the registry is back every
// record reaches the sink exactly once, in order.
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host_fixture.hpp"
#include "kafka_records.hpp"
#include "reference_serializer.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kBefore = 100;
constexpr int kDuring = 50;

constexpr std::string_view kFirstVersion = R"({"type": "record",
  "name": "Reading", "fields": [{"name": "id", "type": "string"},
                                {"name": "n", "type": "int"}]})";
// A second version (a new optional field), hence a schema id of its own.
constexpr std::string_view kSecondVersion = R"({"type": "record",
  "name": "Reading", "fields": [{"name": "id", "type": "string"},
                                {"name": "n", "type": "int"},
  {"name": "note", "type": ["null", "string"], "default": null}]})";

json reading(int i, bool second_version) {
  json value = {{"id", fmt::format("r{}", i)}, {"n", i}};
  if (second_version) value["note"] = fmt::format("during {}", i);
  return value;
}

std::vector<json> readings(int first, int count, bool second_version) {
  std::vector<json> values;
  for (int i = first; i < first + count; ++i) {
    values.push_back(reading(i, second_version));
  }
  return values;
}

TEST(SchemaRegistryFaultTest, RegistryDownForTenSecondsLosesNothing) {
  ScratchDirectory scratch("rdconnect-registry-fault");
  ReferenceSerializer serializer;
  const std::string topic = unique_name("registry-fault");
  const std::string staging = topic + ".staging";
  const std::string dlq = topic + ".dlq";
  create_topic(topic, 1);
  create_topic(staging, 1);
  serializer.produce(scratch, topic, "avro", kFirstVersion,
                     readings(0, kBefore, false));
  // Written while the registry is up, copied in while it is down.
  serializer.produce(scratch, staging, "avro", kSecondVersion,
                     readings(kBefore, kDuring, true));

  const auto log = scratch / "sink.jsonl";
  const auto config = scratch / "sink.toml";
  write_text(config, serializer.avro_log_sink_config(topic, dlq, log));
  ChildProcess host({rdconnect_binary().string(), "run", config.string()},
                    {{"KAFKA_BOOTSTRAP", kafka_bootstrap()},
                     {"RDCONNECT_PLUGIN_PATH", plugin_directory().string()}},
                    scratch / "host");
  const auto logged = [&] { return read_lines(log).size(); };
  ASSERT_TRUE(wait_for([&] { return logged() == kBefore; }, 60s))
      << host.stderr_tail();

  services("stop-registry");
  const auto stopped_at = std::chrono::steady_clock::now();
  std::vector<KafkaRecord> during = read_records(staging);
  ASSERT_EQ(during.size(), static_cast<size_t>(kDuring));
  for (KafkaRecord& record : during) record.headers.clear();
  produce_records(topic, during);
  ASSERT_TRUE(wait_for(
      [&] {
        return host.stderr_text().find("unreachable") != std::string::npos;
      },
      30s))
      << host.stderr_tail();
  // The outage lasts ten seconds whatever the host does meanwhile.
  EXPECT_FALSE(
      host.wait(std::chrono::duration_cast<std::chrono::milliseconds>(
                    10s - (std::chrono::steady_clock::now() - stopped_at)))
          .has_value())
      << host.stderr_tail();
  EXPECT_EQ(logged(), static_cast<size_t>(kBefore));
  services("start-registry");

  ASSERT_TRUE(wait_for([&] { return logged() == kBefore + kDuring; }, 120s))
      << host.stderr_tail();
  host.send_signal(SIGTERM);
  ASSERT_EQ(host.wait(60s), std::optional<int>(0)) << host.stderr_tail();

  const std::vector<std::string> lines = read_lines(log);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kBefore + kDuring));
  for (int i = 0; i < kBefore + kDuring; ++i) {
    const json record = json::parse(lines[i]);
    EXPECT_EQ(record.at("offset").get<int64_t>(), i);
    EXPECT_EQ(json::parse(record.at("value").get<std::string>()),
              reading(i, i >= kBefore))
        << "line " << i;
  }
  EXPECT_EQ(read_records(dlq).size(), 0u);
}

}  // namespace
}  // namespace rdconnect::testing
