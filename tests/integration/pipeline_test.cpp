// uuid_source → Kafka → log_sink on the real broker: topic creation, exact
// delivery, partition routing, consumer groups across hosts, and shutdown.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <set>

#include "group_offsets.hpp"
#include "host_fixture.hpp"
#include "partition/partitioner.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;

struct Pipeline {
  std::string topic;
  int partitions = 2;
  std::string partitioner = "uuid_mod";
  int64_t count = 10000;
  int64_t rate = 0;
  bool with_source = true;
  bool with_sink = true;
  std::string group;
  int tasks = 2;
  std::string log_path = "${env:LOG_PATH}";
  /// partition.assignment.strategy of the sink; empty for the host's default.
  std::string assignor;

  std::string toml() const {
    std::string text = kConfigPrelude;
    if (with_source) {
      text +=
          "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
          "topic = \"" +
          topic + "\"\npartitioner = \"" + partitioner +
          "\"\n[source.topic_creation]\npartitions = " +
          std::to_string(partitions) +
          "\nreplication_factor = 1\n"
          "configs = { \"cleanup.policy\" = \"compact\" }\n"
          "[source.config]\ncount = " +
          std::to_string(count) + "\nrate = " + std::to_string(rate) + "\n";
    }
    if (with_sink) {
      text +=
          "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\n"
          "topics = [\"" +
          topic + "\"]\ngroup_id = \"" + group +
          "\"\ntasks = " + std::to_string(tasks) +
          "\nflush_interval_ms = 200\n"
          "[sink.config]\npath = \"" +
          log_path + "\"\nformat = \"json\"\n";
      if (!assignor.empty()) {
        text += "[sink.kafka]\n\"partition.assignment.strategy\" = \"" +
                assignor + "\"\n";
      }
    }
    return text;
  }
};

class PipelineTest : public HostTest {
 protected:
  Pipeline pipeline() {
    Pipeline p;
    p.topic = unique_name("users");
    p.group = unique_name("rdconnect-log");
    return p;
  }

  std::map<std::string, std::string> log_env(const std::string& file) {
    return {{"LOG_PATH", (scratch_ / file).string()}};
  }

  std::vector<LoggedRecord> logged(const std::string& file) {
    return parse_log(read_lines(scratch_ / file));
  }
};

int32_t expected_partition(const std::string& partitioner,
                           const std::string& key, int32_t partitions) {
  static const std::map<std::string, config::PartitionerKind> kinds = {
      {"uuid_mod", config::PartitionerKind::uuid_mod},
      {"murmur2", config::PartitionerKind::murmur2},
      {"murmur3", config::PartitionerKind::murmur3}};
  return partition::make_partitioner(kinds.at(partitioner))
      ->choose(key, partitions)
      .partition;
}

TEST_F(PipelineTest, CreatesTheTopicWithItsPartitionsAndCompaction) {
  Pipeline p = pipeline();
  p.count = 10;
  p.with_sink = false;
  run_until_caught_up(write_config("create.toml", p.toml()));

  EXPECT_EQ(partition_count(p.topic), 2);
  EXPECT_EQ(topic_configs(p.topic).at("cleanup.policy"), "compact");
  EXPECT_EQ(read_records(p.topic).size(), 10u);
}

// ABI 1.3 lets a source leave ack NULL (it does not track deliveries): the
// host produces every record, calls no ack, and exits 0 once it is done.
TEST_F(PipelineTest, ASourceWithoutAckDeliversEveryRecord) {
  constexpr int64_t kCount = 500;
  Pipeline p = pipeline();
  p.count = kCount;
  p.with_source = false;
  const std::string toml =
      std::string(kConfigPrelude) +
      "[[source]]\nname = \"counter\"\nplugin = \"fixture_c_source\"\n"
      "topic = \"" +
      p.topic +
      "\"\n[source.topic_creation]\npartitions = 2\n[source.config]\ncount = " +
      std::to_string(kCount) + "\n" +
      p.toml().substr(std::string(kConfigPrelude).size());
  auto host =
      start_host(write_config("without-ack.toml", toml),
                 {"--until-caught-up", "--plugin-path", RDCONNECT_FIXTURE_DIR},
                 log_env("log.jsonl"));
  ASSERT_EQ(host->wait(std::chrono::seconds(120)), 0) << host->stderr_text();

  std::multiset<std::string> values;
  for (const KafkaRecord& record : read_records(p.topic)) {
    values.insert(record.value.value_or("(null)"));
  }
  std::multiset<std::string> expected;
  for (int64_t n = 0; n < kCount; ++n) {
    expected.insert("record " + std::to_string(n));
  }
  EXPECT_EQ(values, expected);
  EXPECT_EQ(coordinates(parse_log(read_lines(scratch_ / "log.jsonl"))),
            coordinates(read_records(p.topic)));
}

TEST_F(PipelineTest, ExistingTopicWithOtherPartitionCountIsRefused) {
  Pipeline p = pipeline();
  create_topic(p.topic, 3);
  p.with_sink = false;
  auto host = start_host(write_config("mismatch.toml", p.toml()));
  const std::optional<int> code = host->wait(60s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_THAT(host->stderr_text(),
              ::testing::HasSubstr("exists with 3 partitions but the config "
                                   "asks for 2"));
}

class RoutingTest : public PipelineTest,
                    public ::testing::WithParamInterface<
                        std::tuple<std::string, int64_t, int>> {};

// Every record reaches the log exactly once, on the partition its
// partitioner demands, and the log holds exactly the topic's records.
TEST_P(RoutingTest, EveryRecordArrivesOnceOnItsPartition) {
  const auto& [partitioner, count, partitions] = GetParam();
  Pipeline p = pipeline();
  p.partitioner = partitioner;
  p.count = count;
  p.partitions = partitions;
  run_until_caught_up(write_config("pipeline.toml", p.toml()),
                      log_env("log.jsonl"));

  const std::vector<LoggedRecord> records = logged("log.jsonl");
  ASSERT_EQ(records.size(), static_cast<size_t>(count));
  std::set<std::string> keys;
  for (const LoggedRecord& record : records) {
    keys.insert(record.key);
    ASSERT_EQ(record.partition,
              expected_partition(partitioner, record.key, partitions))
        << "key " << record.key;
  }
  EXPECT_EQ(keys.size(), static_cast<size_t>(count));

  const std::vector<KafkaRecord> topic = read_records(p.topic);
  EXPECT_EQ(topic.size(), static_cast<size_t>(count));
  EXPECT_EQ(coordinates(records), coordinates(topic));
}

INSTANTIATE_TEST_SUITE_P(
    Partitioners, RoutingTest,
    ::testing::Values(std::make_tuple("uuid_mod", 10000, 2),
                      std::make_tuple("murmur2", 3000, 3),
                      std::make_tuple("murmur3", 3000, 5)),
    [](const auto& info) { return std::get<0>(info.param); });

// More tasks than partitions: one task is never assigned anything. Every
// task still leaves the group when the host stops, so that the group's
// other members (another host) rebalance at once rather than wait out the
// idle member's session timeout (45 s).
class IdleTaskTest : public PipelineTest,
                     public ::testing::WithParamInterface<const char*> {};

TEST_P(IdleTaskTest, LeavesTheGroupWhenTheHostStops) {
  Pipeline p = pipeline();
  p.partitions = 1;
  p.tasks = 2;
  p.count = 1000;
  p.assignor = GetParam();
  run_until_caught_up(write_config("pipeline.toml", p.toml()),
                      log_env("log.jsonl"));
  EXPECT_EQ(logged("log.jsonl").size(), 1000u);
  EXPECT_EQ(group_member_count(p.group), 0);
}

INSTANTIATE_TEST_SUITE_P(Assignors, IdleTaskTest,
                         ::testing::Values("cooperative-sticky", "range"),
                         [](const auto& info) {
                           return std::string(info.param) == "range"
                                      ? "Eager"
                                      : "Cooperative";
                         });

// Tasks that join a new group together form it twice, and nothing flows
// for seconds: the first task joins alone, the second once the first holds
// partitions, and every record is still logged once.
TEST_F(PipelineTest, TheSecondTaskJoinsOnceTheFirstHoldsPartitions) {
  Pipeline p = pipeline();
  p.tasks = 2;
  p.count = 2000;
  const auto config = write_config("pipeline.toml", p.toml());
  auto host = start_host(config, {"--until-caught-up"}, log_env("log.jsonl"));
  ASSERT_EQ(host->wait(120s), std::optional<int>(0)) << host->stderr_text();

  const std::string log = host->stderr_text();
  const size_t first = log.find("[log#0] assigned ");
  const size_t second = log.find("[log#1] assigned ");
  ASSERT_NE(first, std::string::npos) << log;
  ASSERT_NE(second, std::string::npos) << log;
  EXPECT_LT(first, second) << log;
  const std::vector<LoggedRecord> records = logged("log.jsonl");
  EXPECT_EQ(records.size(), 2000u);
  EXPECT_EQ(coordinates(records), coordinates(read_records(p.topic)));
}

// Two hosts with the same config form one group: the partitions are split
// between them and every record is logged by exactly one of them.
TEST_F(PipelineTest, TwoHostsInOneGroupSplitThePartitions) {
  Pipeline p = pipeline();
  p.partitions = 4;
  p.count = 8000;
  p.tasks = 1;
  // The eager protocol, which the host supports beside its default
  // incremental one (every other test here runs that): the second host's
  // join revokes all of the first host's partitions before they are split.
  p.assignor = "range";
  Pipeline source_only = p;
  source_only.with_sink = false;
  Pipeline sink_only = p;
  sink_only.with_source = false;
  create_topic(p.topic, 4);
  const auto sink_config = write_config("sink.toml", sink_only.toml());

  auto first = start_host(sink_config, {}, log_env("first.jsonl"));
  ASSERT_TRUE(wait_for(
      [&] {
        return first->stderr_text().find("assigned " + p.topic) !=
               std::string::npos;
      },
      60s))
      << first->stderr_text();
  auto second = start_host(sink_config, {}, log_env("second.jsonl"));
  // Cooperative rebalancing hands the second host part of the partitions.
  ASSERT_TRUE(wait_for(
      [&] {
        return second->stderr_text().find("assigned " + p.topic) !=
               std::string::npos;
      },
      60s))
      << second->stderr_text();

  run_until_caught_up(write_config("source.toml", source_only.toml()));
  ASSERT_TRUE(wait_for(
      [&] {
        return read_lines(scratch_ / "first.jsonl").size() +
                   read_lines(scratch_ / "second.jsonl").size() >=
               static_cast<size_t>(p.count);
      },
      60s));
  first->send_signal(SIGTERM);
  second->send_signal(SIGTERM);
  ASSERT_EQ(first->wait(60s), std::optional<int>(0)) << first->stderr_text();
  ASSERT_EQ(second->wait(60s), std::optional<int>(0)) << second->stderr_text();

  const auto from_first = logged("first.jsonl");
  const auto from_second = logged("second.jsonl");
  std::set<int32_t> first_partitions;
  std::set<int32_t> second_partitions;
  for (const auto& record : from_first)
    first_partitions.insert(record.partition);
  for (const auto& record : from_second)
    second_partitions.insert(record.partition);
  EXPECT_FALSE(first_partitions.empty());
  EXPECT_FALSE(second_partitions.empty());
  for (int32_t partition : first_partitions) {
    EXPECT_FALSE(second_partitions.contains(partition)) << partition;
  }

  std::vector<LoggedRecord> all = from_first;
  all.insert(all.end(), from_second.begin(), from_second.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(p.count));
  EXPECT_EQ(coordinates(all), coordinates(read_records(p.topic)));
}

// SIGTERM in the middle of a run stops the host cleanly (exit 0) with every
// record it acknowledged delivered and committed; a restart then brings the
// log to exactly the topic's records: nothing lost, nothing twice.
TEST_F(PipelineTest, SigtermMidRunThenRestartLosesNothing) {
  Pipeline p = pipeline();
  p.count = 40000;
  p.rate = 8000;
  const auto config = write_config("pipeline.toml", p.toml());

  auto host = start_host(config, {}, log_env("log.jsonl"));
  ASSERT_TRUE(wait_for(
      [&] { return read_lines(scratch_ / "log.jsonl").size() >= 4000; }, 60s))
      << host->stderr_text();
  host->send_signal(SIGTERM);
  const std::optional<int> code = host->wait(60s);
  ASSERT_TRUE(code.has_value()) << host->stderr_text();
  ASSERT_EQ(*code, 0) << host->stderr_text();
  const size_t produced_by_first_run = read_records(p.topic).size();
  EXPECT_GE(produced_by_first_run, 4000u);
  EXPECT_LT(produced_by_first_run, static_cast<size_t>(p.count));

  Pipeline rest = p;
  rest.rate = 0;
  run_until_caught_up(write_config("restart.toml", rest.toml()),
                      log_env("log.jsonl"));
  const std::vector<LoggedRecord> records = logged("log.jsonl");
  const std::vector<KafkaRecord> topic = read_records(p.topic);
  EXPECT_EQ(topic.size(), produced_by_first_run + static_cast<size_t>(p.count));
  EXPECT_EQ(records.size(), topic.size());
  EXPECT_EQ(coordinates(records), coordinates(topic));
}

}  // namespace
}  // namespace rdconnect::testing
