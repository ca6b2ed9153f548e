// What GET /connectors/{name}/offsets shows: each partition of the
// connector's topics as the cluster has it now, beside what the connector
// itself knows of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/lag_reading.hpp"
#include "runtime/partition_figures.hpp"

namespace rdconnect::runtime {

struct ConnectorOffsets {
  std::string kind;      ///< "source" | "sink"
  std::string group_id;  ///< sinks
  /// nullopt when the cluster did not answer in time.
  std::optional<LagReading> reading;
  /// Sinks: the partitions this host's tasks hold.
  std::vector<AssignedPartition> assigned;
  /// Sources: records delivered per partition.
  std::vector<DeliveredPartition> delivered;
};

}  // namespace rdconnect::runtime
