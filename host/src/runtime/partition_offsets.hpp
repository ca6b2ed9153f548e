// The next offset per partition, kept without allocating per record: a
// task owns a handful of partitions, and consecutive records mostly come
// from the same one, so a short vector with the last hit remembered beats
// a map keyed by strings.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "kafka/consumer.hpp"

namespace rdconnect::runtime {

class PartitionOffsets {
 public:
  /// Records `next` as the partition's next offset.
  void set(std::string_view topic, int32_t partition, int64_t next);
  /// Forgets the partition.
  void erase(std::string_view topic, int32_t partition);
  /// Forgets every partition, keeping the memory for the next round.
  void clear();
  bool empty() const { return size_ == 0; }
  /// The partitions with their offsets, e.g. for a commit.
  std::vector<kafka::TopicPartition> list() const;

 private:
  // The entry's offset is the partition's next offset.
  kafka::TopicPartition* find(std::string_view topic, int32_t partition);

  // entries_[0, size_) are live; those past size_ are kept for reuse.
  std::vector<kafka::TopicPartition> entries_;
  size_t size_ = 0;
  size_t last_ = 0;
};

}  // namespace rdconnect::runtime
