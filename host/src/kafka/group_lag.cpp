#include "kafka/group_lag.hpp"

#include <algorithm>

namespace rdconnect::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// The client fetches single records by hand and nothing else: it takes no
// place in the group (static membership and the group protocol are the
// tasks'), commits nothing, and prefetches no more than a record batch.
Properties reader_properties(Properties properties) {
  for (const char* membership :
       {"group.instance.id", "group.protocol", "group.remote.assignor"}) {
    properties.erase(membership);
  }
  properties["partition.assignment.strategy"] = "range";
  properties["enable.auto.commit"] = "false";
  properties["enable.auto.offset.store"] = "false";
  properties["enable.partition.eof"] = "false";
  properties["queued.min.messages"] = "1";
  // The broker answers with at least one whole batch whatever this says.
  properties["max.partition.fetch.bytes"] = "1024";
  return properties;
}

// What is left until `deadline`, for a librdkafka timeout; 0 once past.
int ms_left(Clock::time_point deadline) {
  return static_cast<int>(std::max<int64_t>(
      0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                               Clock::now())
             .count()));
}

}  // namespace

std::optional<double> PartitionLag::seconds_behind(int64_t now_ms) const {
  if (records == 0) return 0.0;
  if (oldest_timestamp_ms < 0) return std::nullopt;
  return static_cast<double>(
             std::max<int64_t>(0, now_ms - oldest_timestamp_ms)) /
         1000.0;
}

GroupLag::GroupLag(const Properties& properties,
                   std::vector<std::string> topics,
                   const std::string& client_name)
    : client_(
          make_client(RD_KAFKA_CONSUMER,
                      make_conf(reader_properties(properties), client_name))),
      topics_(std::move(topics)),
      has_group_(properties.contains("group.id")) {}

PartitionListPtr GroupLag::all_partitions(std::chrono::milliseconds timeout) {
  const rd_kafka_metadata_t* raw = nullptr;
  if (rd_kafka_metadata(client_.get(), 1, nullptr, &raw,
                        static_cast<int>(timeout.count())) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return nullptr;
  }
  MetadataPtr metadata(raw);
  PartitionListPtr list = make_partition_list(8);
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    const rd_kafka_metadata_topic_t& topic = metadata->topics[t];
    if (std::find(topics_.begin(), topics_.end(), topic.topic) ==
        topics_.end()) {
      continue;
    }
    for (int p = 0; p < topic.partition_cnt; ++p) {
      rd_kafka_topic_partition_list_add(list.get(), topic.topic,
                                        topic.partitions[p].id);
    }
  }
  rd_kafka_topic_partition_list_sort(list.get(), nullptr, nullptr);
  return list;
}

// `timeout` bounds the whole reading, not each of its questions.
std::optional<std::vector<PartitionLag>> GroupLag::partitions(
    std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  PartitionListPtr list = all_partitions(timeout);
  if (!list) return std::nullopt;
  if (has_group_ &&
      rd_kafka_committed(client_.get(), list.get(), ms_left(deadline)) !=
          RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  std::vector<PartitionLag> result;
  result.reserve(static_cast<size_t>(list->cnt));
  for (int i = 0; i < list->cnt; ++i) {
    const rd_kafka_topic_partition_t& entry = list->elems[i];
    PartitionLag partition{.topic = entry.topic, .partition = entry.partition};
    if (ms_left(deadline) == 0 ||
        rd_kafka_query_watermark_offsets(
            client_.get(), entry.topic, entry.partition, &partition.start,
            &partition.end, ms_left(deadline)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return std::nullopt;
    }
    if (has_group_ && entry.offset >= 0) partition.committed = entry.offset;
    partition.records =
        std::max<int64_t>(0, partition.end - partition.resume_offset());
    result.push_back(std::move(partition));
  }
  return result;
}

std::optional<int64_t> GroupLag::lag(std::chrono::milliseconds timeout) {
  const std::optional<std::vector<PartitionLag>> all = partitions(timeout);
  if (!all) return std::nullopt;
  int64_t total = 0;
  for (const PartitionLag& partition : *all) total += partition.records;
  return total;
}

void GroupLag::read_oldest_timestamps(std::vector<PartitionLag>& partitions,
                                      std::chrono::milliseconds timeout) {
  const std::lock_guard lock(fetch_mutex_);
  const auto remembered =
      [this](const PartitionLag& partition) -> const Oldest* {
    const auto known = oldest_.find({partition.topic, partition.partition});
    if (known == oldest_.end() ||
        known->second.offset != partition.resume_offset()) {
      return nullptr;
    }
    return &known->second;
  };
  PartitionListPtr wanted = make_partition_list(8);
  for (const PartitionLag& partition : partitions) {
    if (partition.records == 0 || remembered(partition) != nullptr) continue;
    rd_kafka_topic_partition_list_add(wanted.get(), partition.topic.c_str(),
                                      partition.partition)
        ->offset = partition.resume_offset();
  }
  if (wanted->cnt > 0) fetch_first_records(*wanted, timeout);
  for (PartitionLag& partition : partitions) {
    if (partition.records == 0) continue;
    if (const Oldest* oldest = remembered(partition)) {
      partition.oldest_timestamp_ms = oldest->timestamp_ms;
    }
  }
}

// The first message of each partition is the record at the offset asked
// for, or the next one when that offset is gone (compacted, a transaction
// marker). The assignment is dropped afterwards, and with it whatever was
// prefetched, so that the client fetches nothing between two reads.
void GroupLag::fetch_first_records(
    const rd_kafka_topic_partition_list_t& wanted,
    std::chrono::milliseconds timeout) {
  if (rd_kafka_assign(client_.get(), &wanted) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  std::vector<bool> arrived(static_cast<size_t>(wanted.cnt), false);
  int missing = wanted.cnt;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (missing > 0 && ms_left(deadline) > 0) {
    const MessagePtr message(
        rd_kafka_consumer_poll(client_.get(), ms_left(deadline)));
    if (!message || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    const char* topic = rd_kafka_topic_name(message->rkt);
    for (int i = 0; i < wanted.cnt; ++i) {
      const rd_kafka_topic_partition_t& entry = wanted.elems[i];
      if (arrived[static_cast<size_t>(i)] ||
          entry.partition != message->partition ||
          std::string_view(entry.topic) != topic) {
        continue;
      }
      arrived[static_cast<size_t>(i)] = true;
      --missing;
      oldest_[{entry.topic, entry.partition}] = {
          entry.offset, rd_kafka_message_timestamp(message.get(), nullptr)};
    }
  }
  rd_kafka_assign(client_.get(), nullptr);
}

}  // namespace rdconnect::kafka
