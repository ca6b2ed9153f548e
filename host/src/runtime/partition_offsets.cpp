#include "runtime/partition_offsets.hpp"

#include <cstddef>
#include <utility>

namespace rdconnect::runtime {

kafka::TopicPartition* PartitionOffsets::find(std::string_view topic,
                                              int32_t partition) {
  if (last_ < size_ && entries_[last_].is(topic, partition)) {
    return &entries_[last_];
  }
  for (size_t i = 0; i < size_; ++i) {
    if (entries_[i].is(topic, partition)) {
      last_ = i;
      return &entries_[i];
    }
  }
  return nullptr;
}

void PartitionOffsets::set(std::string_view topic, int32_t partition,
                           int64_t next) {
  if (kafka::TopicPartition* entry = find(topic, partition)) {
    entry->offset = next;
    return;
  }
  if (size_ == entries_.size()) entries_.emplace_back();
  kafka::TopicPartition& entry = entries_[size_];
  entry.topic.assign(topic);
  entry.partition = partition;
  entry.offset = next;
  last_ = size_++;
}

void PartitionOffsets::erase(std::string_view topic, int32_t partition) {
  kafka::TopicPartition* entry = find(topic, partition);
  if (entry == nullptr) return;
  std::swap(*entry, entries_[--size_]);
  last_ = 0;
}

void PartitionOffsets::clear() {
  size_ = 0;
  last_ = 0;
}

std::vector<kafka::TopicPartition> PartitionOffsets::list() const {
  return {entries_.begin(), entries_.begin() + static_cast<ptrdiff_t>(size_)};
}

}  // namespace rdconnect::runtime
