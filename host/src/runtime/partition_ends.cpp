#include "runtime/partition_ends.hpp"

#include <algorithm>

namespace rdconnect::runtime {

void PartitionEnds::assigned(
    std::span<const kafka::TopicPartition> partitions) {
  for (const kafka::TopicPartition& partition : partitions) {
    partitions_.push_back({partition, false});
  }
}

void PartitionEnds::revoked(std::span<const kafka::TopicPartition> partitions) {
  for (const kafka::TopicPartition& gone : partitions) {
    std::erase_if(partitions_, [&](const Entry& entry) {
      const bool match = entry.partition.is(gone.topic, gone.partition);
      if (match && entry.at_end) --at_end_count_;
      return match;
    });
  }
}

void PartitionEnds::reached_end(std::string_view topic, int32_t partition) {
  set_at_end(topic, partition, true);
}

void PartitionEnds::set_at_end(std::string_view topic, int32_t partition,
                               bool at_end) {
  for (Entry& entry : partitions_) {
    if (!entry.partition.is(topic, partition)) continue;
    if (entry.at_end != at_end) {
      entry.at_end = at_end;
      at_end ? ++at_end_count_ : --at_end_count_;
    }
    return;
  }
}

}  // namespace rdconnect::runtime
