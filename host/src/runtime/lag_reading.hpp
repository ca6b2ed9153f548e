// One reading of where a connector's partitions stand, in records and (for
// a sink) in seconds: taken at each progress report for the metrics, and
// on request for the offsets endpoint.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "kafka/group_lag.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/partition_figures.hpp"

namespace rdconnect::runtime {

struct LagReading {
  /// In topic and partition order.
  std::vector<kafka::PartitionLag> partitions;
  /// When it was taken (ms since the epoch), for seconds_behind().
  int64_t taken_ms = 0;
};

/// Asks the cluster now: up to 5 s for the offsets, then, with
/// `oldest_records` (a sink's group), up to 1 s more to read the oldest
/// unconsumed record of each partition behind. nullopt when the cluster
/// did not answer the offsets in time.
std::optional<LagReading> read_lag(kafka::GroupLag& reader,
                                   bool oldest_records);

/// The partitions of `reading`, for the metrics.
std::vector<PartitionLagSample> lag_samples(const LagReading& reading);

/// Publishes `reading` (nullopt: unknown) as a sink's lag, in total and
/// per partition.
void publish_lag(const std::optional<LagReading>& reading,
                 ConnectorMetrics& metrics);

}  // namespace rdconnect::runtime
