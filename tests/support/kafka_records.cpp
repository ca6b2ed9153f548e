#include "kafka_records.hpp"

#include <cstdint>
#include <map>
#include <stdexcept>

#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"
#include "kafka/message.hpp"
#include "kafka_test_cluster.hpp"

namespace rdconnect::testing {
namespace {

struct Deliveries {
  std::vector<KafkaRecord>* records;
  std::vector<std::string> failures;
};

void on_delivery(rd_kafka_t* /*producer*/, const rd_kafka_message_t* message,
                 void* opaque) {
  auto* deliveries = static_cast<Deliveries*>(opaque);
  const auto index = reinterpret_cast<uintptr_t>(message->_private);
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    deliveries->failures.push_back("record " + std::to_string(index) + ": " +
                                   rd_kafka_err2str(message->err));
    return;
  }
  (*deliveries->records)[index].offset = message->offset;
}

rd_kafka_headers_t* to_kafka_headers(const std::vector<KafkaHeader>& headers) {
  rd_kafka_headers_t* result = rd_kafka_headers_new(headers.size());
  for (const KafkaHeader& header : headers) {
    rd_kafka_header_add(
        result, header.name.c_str(), -1,
        header.value ? header.value->data() : nullptr,
        header.value ? static_cast<ssize_t>(header.value->size()) : 0);
  }
  return result;
}

std::optional<std::string> bytes(const void* data, size_t len) {
  if (data == nullptr) return std::nullopt;
  return std::string(static_cast<const char*>(data), len);
}

std::vector<KafkaHeader> headers_of(const rd_kafka_message_t& message) {
  std::vector<KafkaHeader> result;
  kafka::Message(message).for_each_header(
      [&](const char* name, const void* value, size_t size) {
        result.push_back({name, bytes(value, size)});
      });
  return result;
}

KafkaRecord to_record(const rd_kafka_message_t& message) {
  return {.partition = message.partition,
          .offset = message.offset,
          .timestamp_ms = rd_kafka_message_timestamp(&message, nullptr),
          .key = bytes(message.key, message.key_len),
          .value = bytes(message.payload, message.len),
          .headers = headers_of(message)};
}

}  // namespace

void produce_records(const std::string& topic,
                     std::vector<KafkaRecord>& records) {
  Deliveries deliveries{&records, {}};
  kafka::ConfPtr conf =
      kafka::make_conf({{"bootstrap.servers", kafka_bootstrap()},
                        {"enable.idempotence", "true"},
                        {"acks", "all"}},
                       "test-producer");
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &on_delivery);
  rd_kafka_conf_set_opaque(conf.get(), &deliveries);
  kafka::ClientPtr producer =
      kafka::make_client(RD_KAFKA_PRODUCER, std::move(conf));
  for (size_t i = 0; i < records.size(); ++i) {
    const KafkaRecord& record = records[i];
    // librdkafka's macros cast their arguments unparenthesised.
    const void* key = record.key ? record.key->data() : nullptr;
    const size_t key_size = record.key ? record.key->size() : 0;
    void* value =
        record.value ? const_cast<char*>(record.value->data()) : nullptr;
    const size_t value_size = record.value ? record.value->size() : 0;
    rd_kafka_headers_t* headers = to_kafka_headers(record.headers);
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer.get(), RD_KAFKA_V_TOPIC(topic.c_str()),
        RD_KAFKA_V_PARTITION(record.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_KEY(key, key_size),
        RD_KAFKA_V_VALUE(value, value_size),
        RD_KAFKA_V_TIMESTAMP(record.timestamp_ms), RD_KAFKA_V_HEADERS(headers),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(static_cast<uintptr_t>(i))),
        RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_headers_destroy(headers);
      throw std::runtime_error("cannot produce to " + topic + ": " +
                               rd_kafka_err2str(err));
    }
  }
  if (rd_kafka_flush(producer.get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("producing to " + topic + " timed out");
  }
  if (!deliveries.failures.empty()) {
    throw std::runtime_error("producing to " + topic +
                             " failed: " + deliveries.failures.front());
  }
}

std::vector<KafkaRecord> read_records(const std::string& topic,
                                      std::chrono::milliseconds timeout) {
  kafka::ClientPtr consumer = kafka::make_client(
      RD_KAFKA_CONSUMER,
      kafka::make_conf({{"bootstrap.servers", kafka_bootstrap()},
                        {"group.id", unique_name("reader")},
                        {"enable.auto.commit", "false"}},
                       "test-reader"));
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

  std::vector<KafkaRecord> records;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!end_offsets.empty()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      throw std::runtime_error("timed out reading " + topic);
    }
    kafka::MessagePtr message(rd_kafka_consumer_poll(consumer.get(), 200));
    if (!message || message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    auto end = end_offsets.find(message->partition);
    if (end == end_offsets.end() || message->offset >= end->second) continue;
    records.push_back(to_record(*message));
    if (message->offset + 1 >= end->second) end_offsets.erase(end);
  }
  rd_kafka_consumer_close(consumer.get());
  return records;
}

}  // namespace rdconnect::testing
