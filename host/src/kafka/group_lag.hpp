// How far a consumer group's committed offsets are behind the end of its
// topics — the group's lag in records and in time, and whether it has
// caught up.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"

namespace rdconnect::kafka {

/// Where a group stands on one partition.
struct PartitionLag {
  std::string topic;
  int32_t partition = 0;
  /// The group's committed offset (the next it will consume); -1 when it
  /// committed none, or when no group was asked.
  int64_t committed = -1;
  /// The partition's start offset and its end (high watermark).
  int64_t start = 0;
  int64_t end = 0;
  /// Records from where the group resumes (its commit, else the start)
  /// to the end.
  int64_t records = 0;
  /// The timestamp (ms since the epoch) of the first record the group has
  /// not consumed; -1 when it has none or it was not read.
  int64_t oldest_timestamp_ms = -1;

  int64_t resume_offset() const { return committed >= 0 ? committed : start; }
  /// The age of the oldest unconsumed record at `now_ms`, in seconds: 0
  /// when caught up, nullopt when its timestamp is unknown. A timestamp
  /// ahead of this host's clock counts as 0, not as a negative age.
  std::optional<double> seconds_behind(int64_t now_ms) const;
};

/// Reads a group's committed offsets, and the records at them, without
/// joining the group: it assigns partitions by hand and commits nothing.
class GroupLag {
 public:
  /// `properties` of a consumer. With group.id, the group's commits are
  /// read; without (a source's topic), start and end offsets only.
  GroupLag(const Properties& properties, std::vector<std::string> topics,
           const std::string& client_name);

  /// Every partition of the topics, from the cluster now, in topic and
  /// partition order; nullopt when it could not be asked within `timeout`.
  /// Any thread.
  std::optional<std::vector<PartitionLag>> partitions(
      std::chrono::milliseconds timeout);

  /// Sum over partitions() of their records.
  std::optional<int64_t> lag(std::chrono::milliseconds timeout);

  /// Sets oldest_timestamp_ms of each partition with records behind, by
  /// reading the record at its resume offset: one fetch per partition,
  /// waiting up to `timeout` in all; those that did not arrive stay -1. A
  /// record read once is remembered by its offset, so that a group that
  /// does not move (a paused sink) costs no fetch. Any thread; calls wait
  /// for each other.
  void read_oldest_timestamps(std::vector<PartitionLag>& partitions,
                              std::chrono::milliseconds timeout);

 private:
  struct Oldest {
    int64_t offset = -1;
    int64_t timestamp_ms = -1;
  };
  using Key = std::pair<std::string, int32_t>;

  PartitionListPtr all_partitions(std::chrono::milliseconds timeout);
  void fetch_first_records(const rd_kafka_topic_partition_list_t& wanted,
                           std::chrono::milliseconds timeout);

  ClientPtr client_;
  std::vector<std::string> topics_;
  bool has_group_;
  // Guards the client's assignment and oldest_.
  std::mutex fetch_mutex_;
  std::map<Key, Oldest> oldest_;
};

}  // namespace rdconnect::kafka
