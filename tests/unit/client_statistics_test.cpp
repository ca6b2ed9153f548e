// Reading librdkafka's statistics: a document librdkafka itself writes
// (a client of its mock cluster), and the fields the metrics take from it.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <optional>

#include "kafka/client_statistics.hpp"
#include "kafka/producer.hpp"

namespace rdconnect::kafka {
namespace {

using namespace std::chrono_literals;

TEST(ClientStatisticsTest, AClientOfTheMockClusterReportsItsBrokerUp) {
  std::mutex mutex;
  std::optional<ClientStatistics> last;
  Producer producer(
      {{"test.mock.num.brokers", "1"}, {"statistics.interval.ms", "100"}},
      "stats-test", [](const Message&) {},
      [&](ClientStatistics statistics) {
        const std::lock_guard lock(mutex);
        last = std::move(statistics);
      });
  // A metadata request makes it connect.
  EXPECT_EQ(producer.partition_count("no-such-topic", 5000), std::nullopt);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  bool connected = false;
  while (!connected && std::chrono::steady_clock::now() < deadline) {
    producer.poll(100);
    const std::lock_guard lock(mutex);
    connected = last && last->connected();
  }
  ASSERT_TRUE(connected);
  EXPECT_EQ(last->client, "stats-test");
  ASSERT_FALSE(last->brokers.empty());
  bool saw_node = false;
  for (const BrokerStatistics& broker : last->brokers) {
    EXPECT_NE(broker.name.find("127.0.0.1:"), std::string::npos) << broker.name;
    if (broker.node_id >= 0 && broker.up) {
      saw_node = true;
      EXPECT_GT(broker.requests, 0u);
    }
  }
  EXPECT_TRUE(saw_node);
}

TEST(ClientStatisticsTest, TakesTimesInSecondsAndLeavesOutTheInternalBroker) {
  const char* document = R"({"name": "rdconnect-x#producer-1", "brokers": {
    "127.0.0.1:9092/1": {"name": "127.0.0.1:9092/1", "nodeid": 1,
      "source": "learned", "state": "UP", "tx": 40, "txerrs": 1,
      "rxerrs": 2, "req_timeouts": 3, "disconnects": 4,
      "rtt": {"cnt": 7, "p50": 1500, "p99": 250000}},
    "127.0.0.1:9093/bootstrap": {"name": "127.0.0.1:9093/bootstrap",
      "nodeid": -1, "source": "configured", "state": "DOWN", "tx": 1,
      "rtt": {"cnt": 0, "p50": 0, "p99": 0}},
    ":0/internal": {"name": ":0/internal", "nodeid": -1,
      "source": "internal", "state": "UP"}}})";
  const std::optional<ClientStatistics> statistics =
      parse_statistics(document, "source-x");
  ASSERT_TRUE(statistics);
  ASSERT_EQ(statistics->brokers.size(), 2u);
  const BrokerStatistics& up = statistics->brokers[0];
  EXPECT_EQ(up.name, "127.0.0.1:9092/1");
  EXPECT_EQ(up.node_id, 1);
  EXPECT_TRUE(up.up);
  EXPECT_DOUBLE_EQ(*up.rtt_p50_seconds, 0.0015);
  EXPECT_DOUBLE_EQ(*up.rtt_p99_seconds, 0.25);
  EXPECT_EQ(up.requests, 40u);
  EXPECT_EQ(up.send_errors, 1u);
  EXPECT_EQ(up.receive_errors, 2u);
  EXPECT_EQ(up.request_timeouts, 3u);
  EXPECT_EQ(up.disconnects, 4u);
  const BrokerStatistics& down = statistics->brokers[1];
  EXPECT_FALSE(down.up);
  EXPECT_EQ(down.rtt_p50_seconds, std::nullopt) << "no request was timed";
  EXPECT_TRUE(statistics->connected());

  ClientStatistics only_down{"c", {down}};
  EXPECT_FALSE(only_down.connected());
}

TEST(ClientStatisticsTest, ADocumentThatIsNotLibrdkafkasIsRefusedWithWhy) {
  std::string error;
  EXPECT_EQ(parse_statistics("{\"brokers\": ", "c", &error), std::nullopt);
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(parse_statistics("{\"name\": 1}", "c", &error), std::nullopt);
  EXPECT_NE(error.find("brokers"), std::string::npos) << error;
}

TEST(ClientStatisticsTest, OnlyAnIntervalOfZeroTurnsThemOff) {
  EXPECT_TRUE(emits_statistics({{"statistics.interval.ms", "1000"}}));
  EXPECT_FALSE(emits_statistics({{"statistics.interval.ms", "0"}}));
  EXPECT_FALSE(emits_statistics({}));
}

}  // namespace
}  // namespace rdconnect::kafka
