// The sink's flush-and-commit protocol (SinkTask through ConnectorRuntime,
// in this process) against librdkafka's mock cluster: fast enough to run
// with the unit tests, for both rebalance protocols. The real-broker tests
// in tests/integration and tests/fault remain the proof against Kafka.
#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "group_offsets.hpp"
#include "kafka_records.hpp"
#include "kafka_test_cluster.hpp"
#include "plugin/plugin_finder.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_runtime.hpp"
#include "test_paths.hpp"

namespace rdconnect::testing {
namespace {

constexpr int32_t kPartitions = 3;
constexpr int kRecords = 3000;

// A mock cluster lives inside a librdkafka client of its own; it serves
// the test's clients and the host's on a loopback port, and goes with it.
class MockCluster {
 public:
  MockCluster() {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    std::array<char, 512> error{};
    if (rd_kafka_conf_set(conf, "test.mock.num.brokers", "3", error.data(),
                          error.size()) != RD_KAFKA_CONF_OK) {
      throw std::runtime_error(error.data());
    }
    client_.reset(
        rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size()));
    if (!client_) throw std::runtime_error(error.data());
    cluster_ = rd_kafka_handle_mock_cluster(client_.get());
    // A new group's first join waits 3 s by default, as Kafka's does.
    rd_kafka_mock_group_initial_rebalance_delay_ms(cluster_, 0);
  }

  std::string bootstrap() const {
    return rd_kafka_mock_cluster_bootstraps(cluster_);
  }

  void create_topic(const std::string& topic, int32_t partitions) {
    ASSERT_EQ(
        rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 3),
        RD_KAFKA_RESP_ERR_NO_ERROR);
  }

 private:
  struct ClientDeleter {
    void operator()(rd_kafka_t* client) const { rd_kafka_destroy(client); }
  };
  std::unique_ptr<rd_kafka_t, ClientDeleter> client_;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

class SinkMockClusterTest : public ::testing::TestWithParam<const char*> {
 protected:
  SinkMockClusterTest() {
    // The test support's clients read the cluster from KAFKA_BOOTSTRAP.
    setenv("KAFKA_BOOTSTRAP", cluster_.bootstrap().c_str(), 1);
    cluster_.create_topic(topic_, kPartitions);
    records_.resize(kRecords);
    for (int i = 0; i < kRecords; ++i) {
      records_[i].partition = i % kPartitions;
      records_[i].key = "key-" + std::to_string(i);
      records_[i].value = "value-" + std::to_string(i);
    }
    produce_records(topic_, records_);
  }

  // log_sink in text format appends one line per record to `output`.
  std::filesystem::path write_config(const std::filesystem::path& output) {
    const std::filesystem::path path = scratch_ / "sink.toml";
    write_text(path,
               "[kafka]\n\"bootstrap.servers\" = \"" + cluster_.bootstrap() +
                   "\"\n"
                   "[[sink]]\nname = \"mock-sink\"\nplugin = "
                   "\"log_sink\"\n"
                   "group_id = \"" +
                   group_ + "\"\ntopics = [\"" + topic_ +
                   "\"]\n"
                   "max_batch_records = 250\n"
                   "[sink.kafka]\n\"partition.assignment.strategy\" = \"" +
                   GetParam() +
                   "\"\n"
                   // The mock cluster ignores LeaveGroup: a member that
                   // left holds its partitions until its session times
                   // out, which a rerun of the group must wait for.
                   "\"session.timeout.ms\" = \"1500\"\n"
                   "\"heartbeat.interval.ms\" = \"300\"\n"
                   "[sink.config]\npath = \"" +
                   output.string() + "\"\nformat = \"text\"\n");
    return path;
  }

  int run_until_caught_up(const std::filesystem::path& config) {
    runtime::ConnectorRuntime runtime(
        runtime::prepare_plan(config::load_host_config(config),
                              plugin::PluginFinder::from_environment(
                                  plugin_directory().string())),
        {.until_caught_up = true, .load_config = {}});
    return runtime.run();
  }

  MockCluster cluster_;
  ScratchDirectory scratch_{"rdconnect-mock"};
  std::string topic_ = unique_name("mock-sink");
  std::string group_ = unique_name("mock-group");
  std::vector<KafkaRecord> records_;
};

TEST_P(SinkMockClusterTest, EveryRecordReachesTheSinkOnceAndTheGroupCommits) {
  const std::filesystem::path output = scratch_ / "out.log";
  ASSERT_EQ(run_until_caught_up(write_config(output)), 0);

  const std::vector<std::string> lines = read_lines(output);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kRecords));
  std::multiset<std::string> written(lines.begin(), lines.end());
  for (const KafkaRecord& record : records_) {
    const std::string line = topic_ + "[" + std::to_string(record.partition) +
                             "]@" + std::to_string(record.offset) +
                             " key=" + *record.key + " value=" + *record.value;
    EXPECT_EQ(written.count(line), 1u) << line;
  }
  for (int32_t partition = 0; partition < kPartitions; ++partition) {
    EXPECT_EQ(committed_offset(group_, topic_, partition),
              kRecords / kPartitions)
        << "partition " << partition;
  }
}

// The second run starts from the group's commits: it writes the records
// produced since, and none of the first run's again.
TEST_P(SinkMockClusterTest, ASecondRunOfTheGroupResumesAfterTheFirst) {
  const std::filesystem::path output = scratch_ / "out.log";
  const std::filesystem::path config = write_config(output);
  ASSERT_EQ(run_until_caught_up(config), 0);
  std::vector<KafkaRecord> more(300);
  for (size_t i = 0; i < more.size(); ++i) {
    more[i].partition = static_cast<int32_t>(i % kPartitions);
    more[i].value = "more-" + std::to_string(i);
  }
  produce_records(topic_, more);
  ASSERT_EQ(run_until_caught_up(config), 0);

  const std::vector<std::string> lines = read_lines(output);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kRecords) + more.size());
  for (size_t i = 0; i < more.size(); ++i) {
    EXPECT_EQ(lines[kRecords + i].find(topic_), 0u) << lines[kRecords + i];
  }
  const std::multiset<std::string> written(lines.begin(), lines.end());
  EXPECT_EQ(written.size(),
            std::set<std::string>(lines.begin(), lines.end()).size())
      << "a line was written twice";
  for (int32_t partition = 0; partition < kPartitions; ++partition) {
    EXPECT_EQ(committed_offset(group_, topic_, partition),
              (kRecords + static_cast<int>(more.size())) / kPartitions);
  }
}

INSTANTIATE_TEST_SUITE_P(Assignors, SinkMockClusterTest,
                         ::testing::Values("range", "cooperative-sticky"),
                         [](const auto& info) {
                           return std::string(info.param) == "range"
                                      ? "Eager"
                                      : "Cooperative";
                         });

}  // namespace
}  // namespace rdconnect::testing
