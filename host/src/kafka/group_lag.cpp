#include "kafka/group_lag.hpp"

#include <algorithm>

namespace rdconnect::kafka {

GroupLag::GroupLag(const Properties& properties,
                   std::vector<std::string> topics,
                   const std::string& client_name)
    : client_(
          make_client(RD_KAFKA_CONSUMER, make_conf(properties, client_name))),
      topics_(std::move(topics)) {}

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
  return list;
}

std::optional<int64_t> GroupLag::lag(std::chrono::milliseconds timeout) {
  PartitionListPtr partitions = all_partitions(timeout);
  if (!partitions) return std::nullopt;
  const int timeout_ms = static_cast<int>(timeout.count());
  if (rd_kafka_committed(client_.get(), partitions.get(), timeout_ms) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  int64_t total = 0;
  for (int i = 0; i < partitions->cnt; ++i) {
    const rd_kafka_topic_partition_t& partition = partitions->elems[i];
    int64_t low = 0;
    int64_t high = 0;
    if (rd_kafka_query_watermark_offsets(
            client_.get(), partition.topic, partition.partition, &low, &high,
            timeout_ms) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return std::nullopt;
    }
    const int64_t consumed = partition.offset >= 0 ? partition.offset : low;
    total += std::max<int64_t>(0, high - consumed);
  }
  return total;
}

}  // namespace rdconnect::kafka
