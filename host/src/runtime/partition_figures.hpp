// What a connector knows per partition, beside what the cluster says: the
// partitions its sink tasks hold, the records its source delivered where,
// and each partition's lag as of the last progress report.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdconnect::runtime {

/// A partition a sink task of this host holds.
struct AssignedPartition {
  std::string topic;
  int32_t partition = 0;
  int task = 0;
  /// The offset the plugin gave at open() from a store of its own (an
  /// exactly-once sink keeps its offsets with the data); nullopt when it
  /// keeps none and the group's commit was used.
  std::optional<int64_t> stored_by_sink;
};

/// Records a source delivered to one partition, across its incarnations.
struct DeliveredPartition {
  std::string topic;
  int32_t partition = 0;
  uint64_t records = 0;
};

/// One partition's lag, for the metrics.
struct PartitionLagSample {
  std::string topic;
  int32_t partition = 0;
  int64_t records = 0;
  /// Age of the oldest unconsumed record; nullopt when it was not read.
  std::optional<double> seconds;
};

/// Adds `records` to the count of topic[partition] in `counts`. A source
/// delivers to a handful of partitions: a short vector beats a map.
void count_delivered(std::vector<DeliveredPartition>& counts,
                     std::string_view topic, int32_t partition,
                     uint64_t records);

}  // namespace rdconnect::runtime
