#include "runtime/partition_offsets.hpp"

#include <utility>

namespace rdconnect::runtime {

PartitionOffsets::Entry* PartitionOffsets::find(std::string_view topic,
                                                int32_t partition) {
  auto matches = [&](const Entry& entry) {
    return entry.partition == partition && entry.topic == topic;
  };
  if (last_ < size_ && matches(entries_[last_])) return &entries_[last_];
  for (size_t i = 0; i < size_; ++i) {
    if (matches(entries_[i])) {
      last_ = i;
      return &entries_[i];
    }
  }
  return nullptr;
}

void PartitionOffsets::set(std::string_view topic, int32_t partition,
                           int64_t next) {
  if (Entry* entry = find(topic, partition)) {
    entry->next = next;
    return;
  }
  if (size_ == entries_.size()) entries_.emplace_back();
  Entry& entry = entries_[size_];
  entry.topic.assign(topic);
  entry.partition = partition;
  entry.next = next;
  last_ = size_++;
}

void PartitionOffsets::erase(std::string_view topic, int32_t partition) {
  Entry* entry = find(topic, partition);
  if (entry == nullptr) return;
  std::swap(*entry, entries_[--size_]);
  last_ = 0;
}

void PartitionOffsets::clear() {
  size_ = 0;
  last_ = 0;
}

std::vector<kafka::TopicPartition> PartitionOffsets::list() const {
  std::vector<kafka::TopicPartition> partitions;
  partitions.reserve(size_);
  for (size_t i = 0; i < size_; ++i) {
    partitions.push_back(
        {entries_[i].topic, entries_[i].partition, entries_[i].next});
  }
  return partitions;
}

}  // namespace rdconnect::runtime
