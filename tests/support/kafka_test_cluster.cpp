#include "kafka_test_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "config/host_config.hpp"
#include "kafka/handles.hpp"
#include "kafka/topic_admin.hpp"

namespace rdconnect::testing {
namespace {

kafka::ClientPtr new_consumer() {
  kafka::ConfPtr conf(rd_kafka_conf_new());
  char errstr[512];
  rd_kafka_conf_set(conf.get(), "bootstrap.servers", kafka_bootstrap().c_str(),
                    errstr, sizeof errstr);
  // assign() needs no group, but librdkafka's consumer API wants a group.id;
  // a unique one that never subscribes or commits leaves no trace.
  rd_kafka_conf_set(conf.get(), "group.id", unique_name("reader").c_str(),
                    errstr, sizeof errstr);
  rd_kafka_conf_set(conf.get(), "enable.auto.commit", "false", errstr,
                    sizeof errstr);
  rd_kafka_t* client =
      rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), errstr, sizeof errstr);
  if (client == nullptr) throw std::runtime_error(errstr);
  conf.release();
  return kafka::ClientPtr(client);
}

kafka::TopicAdmin admin() {
  return kafka::TopicAdmin({{"bootstrap.servers", kafka_bootstrap()}},
                           std::chrono::seconds(30));
}

std::optional<std::string> bytes(const void* data, size_t len) {
  if (data == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(data), len);
}

}  // namespace

std::string kafka_bootstrap() {
  const char* bootstrap = std::getenv("KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr || *bootstrap == '\0') {
    throw std::runtime_error(
        "KAFKA_BOOTSTRAP is not set: start Kafka with `scripts/services.sh up` "
        "and export the output of `scripts/services.sh env` (scripts/test.sh "
        "does both)");
  }
  return bootstrap;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(getpid()) + "-" +
         std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(
             std::chrono::steady_clock::now().time_since_epoch().count() %
             1'000'000'000);
}

int32_t partition_count(const std::string& topic) {
  return admin().partition_count(topic).value_or(0);
}

std::map<std::string, std::string> topic_configs(const std::string& topic) {
  return admin().describe_configs(topic);
}

void create_topic(const std::string& topic, int32_t partitions) {
  config::TopicCreation spec;
  spec.partitions = partitions;
  admin().ensure_topic(topic, spec);
}

std::vector<TopicRecord> read_topic(const std::string& topic,
                                    std::chrono::milliseconds timeout) {
  kafka::ClientPtr consumer = new_consumer();
  const int32_t partitions = partition_count(topic);
  kafka::PartitionListPtr assignment = kafka::make_partition_list(partitions);
  std::map<int32_t, int64_t> end_offsets;
  for (int32_t p = 0; p < partitions; ++p) {
    int64_t low = 0;
    int64_t high = 0;
    if (rd_kafka_query_watermark_offsets(consumer.get(), topic.c_str(), p, &low,
                                         &high,
                                         10000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw std::runtime_error("cannot read end offsets of " + topic);
    }
    if (high > low) end_offsets[p] = high;
    rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), p)
        ->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  rd_kafka_assign(consumer.get(), assignment.get());

  std::vector<TopicRecord> records;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!end_offsets.empty()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("timed out reading " + topic);
    }
    kafka::MessagePtr message(rd_kafka_consumer_poll(consumer.get(), 200));
    if (!message || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    auto end = end_offsets.find(message->partition);
    if (end == end_offsets.end() || message->offset >= end->second) continue;
    records.push_back({message->partition, message->offset,
                       bytes(message->key, message->key_len),
                       bytes(message->payload, message->len)});
    if (message->offset + 1 >= end->second) end_offsets.erase(end);
  }
  rd_kafka_consumer_close(consumer.get());
  return records;
}

}  // namespace rdconnect::testing
