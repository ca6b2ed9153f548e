#include "kafka/producer.hpp"

#include <cstring>

#include "common/error.hpp"

namespace rdconnect::kafka {

Producer::Producer(const Properties& properties, const std::string& client_name,
                   DeliveryHandler on_delivery, StatisticsHandler on_statistics)
    : on_delivery_(std::move(on_delivery)),
      client_name_(client_name),
      on_statistics_(std::move(on_statistics)) {
  ConfPtr conf = make_conf(properties, client_name);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &Producer::on_delivery_report);
  if (on_statistics_) {
    rd_kafka_conf_set_stats_cb(conf.get(), &Producer::on_statistics);
  }
  rd_kafka_conf_set_opaque(conf.get(), this);
  client_ = make_client(RD_KAFKA_PRODUCER, std::move(conf));
}

// 0: librdkafka frees the JSON.
int Producer::on_statistics(rd_kafka_t* /*client*/, char* json,
                            size_t json_size, void* opaque) {
  const auto& self = *static_cast<Producer*>(opaque);
  hand_statistics({json, json_size}, self.client_name_, self.on_statistics_);
  return 0;
}

// Topic handles go before the client that made them.
Producer::~Producer() {
  topics_.clear();
  client_.reset();
}

ErrorCode Producer::produce(const OutgoingRecord& record, Headers& headers) {
  rd_kafka_headers_t* raw_headers = headers.release();
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      client_.get(), RD_KAFKA_V_RKT(topic_handle(record.topic)),
      RD_KAFKA_V_PARTITION(record.partition),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(record.key, record.key_size),
      RD_KAFKA_V_VALUE(const_cast<void*>(record.value), record.value_size),
      RD_KAFKA_V_TIMESTAMP(record.timestamp_ms),
      RD_KAFKA_V_HEADERS(raw_headers), RD_KAFKA_V_OPAQUE(record.opaque),
      RD_KAFKA_V_END);
  // librdkafka owns the headers only when it took the record.
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) headers = Headers::adopt(raw_headers);
  return ErrorCode(err);
}

rd_kafka_topic_t* Producer::topic_handle(const char* topic) {
  std::lock_guard lock(topics_mutex_);
  for (const auto& [name, handle] : topics_) {
    if (std::strcmp(name.c_str(), topic) == 0) return handle.get();
  }
  rd_kafka_topic_t* handle = rd_kafka_topic_new(client_.get(), topic, nullptr);
  if (handle == nullptr) {
    throw Error::fatal(std::string("cannot produce to topic '") + topic +
                       "': " + rd_kafka_err2str(rd_kafka_last_error()));
  }
  topics_.emplace_back(topic, TopicPtr(handle));
  return handle;
}

void Producer::poll(int timeout_ms) {
  rd_kafka_poll(client_.get(), timeout_ms);
}

void Producer::flush(int timeout_ms) {
  rd_kafka_flush(client_.get(), timeout_ms);
}

int Producer::queued() const { return rd_kafka_outq_len(client_.get()); }

std::optional<std::string> Producer::fatal_error() const {
  return client_fatal_error(client_.get());
}

std::optional<int32_t> Producer::partition_count(const std::string& topic,
                                                 int timeout_ms) {
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err =
      rd_kafka_metadata(client_.get(), 1, nullptr, &metadata, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error::retriable("cannot read metadata for topic '" + topic +
                           "': " + rd_kafka_err2str(err));
  }
  MetadataPtr owned(metadata);
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    if (topic == metadata->topics[i].topic &&
        metadata->topics[i].partition_cnt > 0) {
      return metadata->topics[i].partition_cnt;
    }
  }
  return std::nullopt;
}

// Runs inside rd_kafka_poll/flush, on the thread that called it.
void Producer::on_delivery_report(rd_kafka_t* /*client*/,
                                  const rd_kafka_message_t* message,
                                  void* opaque) {
  static_cast<Producer*>(opaque)->on_delivery_(Message(*message));
}

}  // namespace rdconnect::kafka
