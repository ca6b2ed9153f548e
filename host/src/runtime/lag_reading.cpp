#include "runtime/lag_reading.hpp"

#include <chrono>

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kOffsetsTimeout = 5s;
// Reading the records behind is a nicety beside the offsets: it must not
// hold the run loop (or an HTTP request) long when the cluster is slow.
constexpr auto kOldestRecordsTimeout = 1s;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<LagReading> read_lag(kafka::GroupLag& reader,
                                   bool oldest_records) {
  std::optional<std::vector<kafka::PartitionLag>> partitions =
      reader.partitions(kOffsetsTimeout);
  if (!partitions) return std::nullopt;
  if (oldest_records) {
    reader.read_oldest_timestamps(*partitions, kOldestRecordsTimeout);
  }
  return LagReading{std::move(*partitions), now_ms()};
}

std::vector<PartitionLagSample> lag_samples(const LagReading& reading) {
  std::vector<PartitionLagSample> samples;
  samples.reserve(reading.partitions.size());
  for (const kafka::PartitionLag& partition : reading.partitions) {
    samples.push_back({partition.topic, partition.partition, partition.records,
                       partition.seconds_behind(reading.taken_ms)});
  }
  return samples;
}

void publish_lag(const std::optional<LagReading>& reading,
                 ConnectorMetrics& metrics) {
  if (!reading) {
    metrics.lag.store(-1);
    metrics.partition_lags.set({});
    return;
  }
  int64_t total = 0;
  for (const kafka::PartitionLag& partition : reading->partitions) {
    total += partition.records;
  }
  metrics.lag.store(total);
  metrics.partition_lags.set(lag_samples(*reading));
}

}  // namespace rdconnect::runtime
