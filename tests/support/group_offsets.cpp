#include "group_offsets.hpp"

#include <stdexcept>

#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"
#include "kafka_test_cluster.hpp"

namespace rdconnect::testing {

std::optional<int64_t> committed_offset(const std::string& group,
                                        const std::string& topic,
                                        int32_t partition) {
  // Never subscribing keeps this client out of the group: it cannot take
  // partitions away from the group's members, nor commit for them.
  kafka::ClientPtr consumer = kafka::make_client(
      RD_KAFKA_CONSUMER,
      kafka::make_conf({{"bootstrap.servers", kafka_bootstrap()},
                        {"group.id", group},
                        {"enable.auto.commit", "false"}},
                       "test-offsets"));
  kafka::PartitionListPtr list = kafka::make_partition_list(1);
  rd_kafka_topic_partition_list_add(list.get(), topic.c_str(), partition);
  const rd_kafka_resp_err_t err =
      rd_kafka_committed(consumer.get(), list.get(), 10000);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR || list->elems[0].err) {
    throw std::runtime_error(
        "cannot read the offset group " + group + " committed for " + topic +
        "[" + std::to_string(partition) +
        "]: " + rd_kafka_err2str(err ? err : list->elems[0].err));
  }
  const int64_t offset = list->elems[0].offset;
  if (offset == RD_KAFKA_OFFSET_INVALID) return std::nullopt;
  return offset;
}

namespace {

// Runs `read` on the coordinator's description of `group`.
template <typename Read>
auto describe_group(const std::string& group, Read read) {
  kafka::ClientPtr client = kafka::make_client(
      RD_KAFKA_PRODUCER,
      kafka::make_conf({{"bootstrap.servers", kafka_bootstrap()}},
                       "test-group-description"));
  const rd_kafka_group_list* groups = nullptr;
  if (rd_kafka_list_groups(client.get(), group.c_str(), &groups, 10000) !=
          RD_KAFKA_RESP_ERR_NO_ERROR ||
      groups->group_cnt != 1) {
    if (groups != nullptr) rd_kafka_group_list_destroy(groups);
    throw std::runtime_error("cannot describe group " + group);
  }
  const auto result = read(groups->groups[0]);
  rd_kafka_group_list_destroy(groups);
  return result;
}

}  // namespace

int32_t group_coordinator(const std::string& group) {
  return describe_group(
      group, [](const rd_kafka_group_info& info) { return info.broker.id; });
}

int group_member_count(const std::string& group) {
  return describe_group(
      group, [](const rd_kafka_group_info& info) { return info.member_cnt; });
}

}  // namespace rdconnect::testing
