// Offsets and lag without a cluster: the age of the oldest unconsumed
// record, the per-partition figures a connector publishes, and the body of
// GET /connectors/{name}/offsets for both kinds.
#include <gtest/gtest.h>

#include "http/control_api.hpp"
#include "http/offsets_json.hpp"
#include "runtime/lag_reading.hpp"
#include "runtime/partition_figures.hpp"

namespace rdconnect {
namespace {

using nlohmann::json;

kafka::PartitionLag partition(int32_t number, int64_t committed, int64_t end,
                              int64_t oldest_timestamp_ms = -1) {
  kafka::PartitionLag lag{.topic = "t", .partition = number};
  lag.committed = committed;
  lag.end = end;
  lag.records = end - lag.resume_offset();
  lag.oldest_timestamp_ms = oldest_timestamp_ms;
  return lag;
}

TEST(PartitionLagTest, SecondsBehindIsTheAgeOfTheOldestUnconsumedRecord) {
  EXPECT_EQ(partition(0, 10, 10).seconds_behind(5000), 0.0);
  EXPECT_EQ(partition(0, 7, 10, 1500).seconds_behind(5000), 3.5);
  // Not read: unknown, not 0.
  EXPECT_EQ(partition(0, 7, 10).seconds_behind(5000), std::nullopt);
  // A producer's clock ahead of ours is no negative age.
  EXPECT_EQ(partition(0, 7, 10, 9000).seconds_behind(5000), 0.0);
  // Without a commit the group resumes at the start.
  kafka::PartitionLag fresh = partition(0, -1, 10);
  fresh.start = 4;
  EXPECT_EQ(fresh.resume_offset(), 4);
}

TEST(PartitionFiguresTest, DeliveriesAddUpPerPartition) {
  std::vector<runtime::DeliveredPartition> counts;
  runtime::count_delivered(counts, "a", 0, 1);
  runtime::count_delivered(counts, "a", 1, 2);
  runtime::count_delivered(counts, "a", 0, 3);
  runtime::count_delivered(counts, "b", 0, 5);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].records, 4u);
  EXPECT_EQ(counts[1].records, 2u);
  EXPECT_EQ(counts[2].topic, "b");
  EXPECT_EQ(counts[2].records, 5u);
}

TEST(LagReadingTest, PublishesTheTotalAndEachPartitionOrUnknown) {
  runtime::ConnectorMetrics metrics;
  runtime::publish_lag(
      runtime::LagReading{{partition(0, 7, 10, 1500), partition(1, 4, 4)},
                          5000},
      metrics);
  EXPECT_EQ(metrics.lag.load(), 3);
  const std::vector<runtime::PartitionLagSample> samples =
      metrics.partition_lags.get();
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].records, 3);
  EXPECT_EQ(samples[0].seconds, 3.5);
  EXPECT_EQ(samples[1].partition, 1);
  EXPECT_EQ(samples[1].seconds, 0.0);
  runtime::publish_lag(std::nullopt, metrics);
  EXPECT_EQ(metrics.lag.load(), -1);
  EXPECT_TRUE(metrics.partition_lags.get().empty());
}

TEST(OffsetsJsonTest, ASinkAnswersInConnectsShapeWithOurFields) {
  runtime::ConnectorOffsets offsets;
  offsets.kind = "sink";
  offsets.group_id = "g";
  offsets.reading = runtime::LagReading{
      {partition(0, 7, 10, 1500), partition(1, -1, 4)}, 5000};
  offsets.assigned = {{"t", 0, 1, 7}};
  const json body = http::offsets_json(offsets);
  EXPECT_EQ(body["group_id"], "g");
  ASSERT_EQ(body["offsets"].size(), 2u);
  EXPECT_EQ(body["offsets"][0],
            json({{"partition", {{"kafka_topic", "t"}, {"kafka_partition", 0}}},
                  {"offset", {{"kafka_offset", 7}}},
                  {"committed", 7},
                  {"stored_by_sink", 7},
                  {"end", 10},
                  {"lag", 3},
                  {"lag_seconds", 3.5},
                  {"task", 1}}));
  // Never committed, held by no task here, its oldest record not read.
  const json& unassigned = body["offsets"][1];
  EXPECT_TRUE(unassigned["offset"].is_null());
  EXPECT_TRUE(unassigned["committed"].is_null());
  EXPECT_TRUE(unassigned["stored_by_sink"].is_null());
  EXPECT_TRUE(unassigned["task"].is_null());
  EXPECT_TRUE(unassigned["lag_seconds"].is_null());
  EXPECT_EQ(unassigned["lag"], 4);
}

TEST(OffsetsJsonTest, ASourceListsWhatItDeliveredWhereBesideNoOffsets) {
  runtime::ConnectorOffsets offsets;
  offsets.kind = "source";
  offsets.reading =
      runtime::LagReading{{partition(0, -1, 10), partition(1, -1, 0)}, 0};
  offsets.delivered = {{"t", 0, 9}, {"other", 2, 1}};
  const json body = http::offsets_json(offsets);
  EXPECT_EQ(body["offsets"], json::array());
  EXPECT_EQ(body["partitions"], json::parse(R"([
              {"kafka_topic": "t", "kafka_partition": 0, "end": 10, "delivered": 9},
              {"kafka_topic": "t", "kafka_partition": 1, "end": 0, "delivered": 0},
              {"kafka_topic": "other", "kafka_partition": 2, "end": null, "delivered": 1}
            ])"));
}

TEST(OffsetsJsonTest, AnUnknownConnectorIsA404) {
  runtime::ConnectorRegistry registry{[] {}};
  const http::ControlApi api{registry, "w"};
  const http::ApiResponse response =
      api.handle({"GET", "/connectors/ghost/offsets", {}, ""});
  EXPECT_EQ(response.status, 404);
  EXPECT_NE(response.body["message"].get<std::string>().find("'ghost'"),
            std::string::npos);
  EXPECT_EQ(api.handle({"PUT", "/connectors/ghost/offsets", {}, ""}).allow,
            "GET");
}

}  // namespace
}  // namespace rdconnect
