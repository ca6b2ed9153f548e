// Which of a task's assigned partitions were read to their end, with
// nothing consumed since: when all are, what the task holds is everything
// there is to write, and --until-caught-up need not wait for the next
// flush interval.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "kafka/consumer.hpp"

namespace rdconnect::runtime {

class PartitionEnds {
 public:
  void assigned(std::span<const kafka::TopicPartition> partitions);
  void revoked(std::span<const kafka::TopicPartition> partitions);
  /// The consumer reported the end of the partition (enable.partition.eof).
  void reached_end(std::string_view topic, int32_t partition);
  /// A message of the partition arrived. Costs nothing while no partition
  /// is at its end, which is the case while records stream in.
  void consumed(std::string_view topic, int32_t partition) {
    if (at_end_count_ > 0) set_at_end(topic, partition, false);
  }
  bool all_at_end() const {
    return !partitions_.empty() && at_end_count_ == partitions_.size();
  }

 private:
  struct Entry {
    kafka::TopicPartition partition;
    bool at_end = false;
  };
  void set_at_end(std::string_view topic, int32_t partition, bool at_end);

  std::vector<Entry> partitions_;
  size_t at_end_count_ = 0;
};

}  // namespace rdconnect::runtime
