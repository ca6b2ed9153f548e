#include "http/offsets_json.hpp"

#include <algorithm>
#include <optional>

namespace rdconnect::http {
namespace {

using nlohmann::json;

template <typename T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json partition_json(const std::string& topic, int32_t partition) {
  return {{"kafka_topic", topic}, {"kafka_partition", partition}};
}

template <typename Entry>
const Entry* find(const std::vector<Entry>& entries, const std::string& topic,
                  int32_t partition) {
  const auto found =
      std::find_if(entries.begin(), entries.end(), [&](const Entry& entry) {
        return entry.partition == partition && entry.topic == topic;
      });
  return found == entries.end() ? nullptr : &*found;
}

// Connect's "offset" is the group's commit; a partition without one has
// none (null), and its lag counts from the partition's start.
json sink_json(const runtime::ConnectorOffsets& offsets) {
  json entries = json::array();
  for (const kafka::PartitionLag& partition : offsets.reading->partitions) {
    const runtime::AssignedPartition* assigned =
        find(offsets.assigned, partition.topic, partition.partition);
    const bool has_commit = partition.committed >= 0;
    const json committed = has_commit ? json(partition.committed) : json();
    entries.push_back(
        {{"partition", partition_json(partition.topic, partition.partition)},
         {"offset", has_commit ? json({{"kafka_offset", partition.committed}})
                               : json(nullptr)},
         {"committed", committed},
         {"stored_by_sink",
          assigned ? or_null(assigned->stored_by_sink) : json(nullptr)},
         {"end", partition.end},
         {"lag", partition.records},
         {"lag_seconds",
          or_null(partition.seconds_behind(offsets.reading->taken_ms))},
         {"task", assigned ? json(assigned->task) : json(nullptr)}});
  }
  return {{"group_id", offsets.group_id}, {"offsets", std::move(entries)}};
}

// A source's plugin keeps its position to itself (rdconnect has no source
// offsets): Connect's list stays empty, and what the host knows goes
// beside it. Partitions of other topics its records named come last,
// without an end (only the connector's topic is asked about).
json source_json(const runtime::ConnectorOffsets& offsets) {
  json partitions = json::array();
  const auto delivered_to = [&](const std::string& topic, int32_t partition) {
    const runtime::DeliveredPartition* count =
        find(offsets.delivered, topic, partition);
    return count ? count->records : 0;
  };
  for (const kafka::PartitionLag& partition : offsets.reading->partitions) {
    json entry = partition_json(partition.topic, partition.partition);
    entry["end"] = partition.end;
    entry["delivered"] = delivered_to(partition.topic, partition.partition);
    partitions.push_back(std::move(entry));
  }
  for (const runtime::DeliveredPartition& count : offsets.delivered) {
    if (find(offsets.reading->partitions, count.topic, count.partition)) {
      continue;
    }
    json entry = partition_json(count.topic, count.partition);
    entry["end"] = nullptr;
    entry["delivered"] = count.records;
    partitions.push_back(std::move(entry));
  }
  return {{"offsets", json::array()}, {"partitions", std::move(partitions)}};
}

}  // namespace

json offsets_json(const runtime::ConnectorOffsets& offsets) {
  return offsets.kind == "sink" ? sink_json(offsets) : source_json(offsets);
}

}  // namespace rdconnect::http
