#include "plugin_test/partition_offsets.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rdconnect::plugin_test {

std::string partition_name(const PartitionKey& partition) {
  return fmt::format("{}[{}]", partition.first, partition.second);
}

std::vector<PartitionKey> partitions_of(
    const std::vector<TestRecord>& records) {
  std::vector<PartitionKey> partitions;
  for (const TestRecord& record : records) {
    const PartitionKey key{record.topic, record.partition};
    if (std::find(partitions.begin(), partitions.end(), key) ==
        partitions.end()) {
      partitions.push_back(key);
    }
  }
  return partitions;
}

std::vector<rdc_topic_partition> to_c(
    const std::vector<PartitionKey>& partitions) {
  std::vector<rdc_topic_partition> entries;
  for (const auto& [topic, partition] : partitions) {
    entries.push_back({topic.c_str(), partition, RDC_OFFSET_COMMITTED});
  }
  return entries;
}

bool any_stored_offset(const std::vector<rdc_topic_partition>& partitions) {
  return std::any_of(
      partitions.begin(), partitions.end(),
      [](const rdc_topic_partition& entry) { return entry.offset >= 0; });
}

void OffsetAssigner::resume(
    const std::vector<rdc_topic_partition>& partitions) {
  saw_stored_offset_ |= any_stored_offset(partitions);
  for (const rdc_topic_partition& partition : partitions) {
    if (partition.offset >= 0) {
      next_[{partition.topic, partition.partition}] = partition.offset;
    }
  }
}

void OffsetAssigner::assign(TestRecord& record) {
  int64_t& next = next_[{record.topic, record.partition}];
  record.offset = std::max(record.offset.value_or(next), next);
  next = *record.offset + 1;
}

int64_t OffsetAssigner::next(const PartitionKey& partition) const {
  const auto found = next_.find(partition);
  return found == next_.end() ? 0 : found->second;
}

}  // namespace rdconnect::plugin_test
