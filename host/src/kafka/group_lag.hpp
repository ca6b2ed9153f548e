// How far a consumer group's committed offsets are behind the end of its
// topics — the group's lag, and whether it has caught up.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"

namespace rdconnect::kafka {

/// Reads committed offsets of one group without joining it.
class GroupLag {
 public:
  /// `properties` must hold group.id.
  GroupLag(const Properties& properties, std::vector<std::string> topics,
           const std::string& client_name);

  /// Sum over every partition of the topics of (end offset - committed
  /// offset); a partition without a commit counts from its start offset.
  /// nullopt when the cluster could not be asked right now.
  std::optional<int64_t> lag(std::chrono::milliseconds timeout);

 private:
  PartitionListPtr all_partitions(std::chrono::milliseconds timeout);

  ClientPtr client_;
  std::vector<std::string> topics_;
};

}  // namespace rdconnect::kafka
