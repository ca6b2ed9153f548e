#include "runtime/dead_letter_queue.hpp"

#include <spdlog/spdlog.h>

#include "common/error.hpp"

namespace rdconnect::runtime {
namespace {

void add_header(rd_kafka_headers_t* headers, const char* name,
                std::string_view value) {
  rd_kafka_header_add(headers, name, -1, value.data(),
                      static_cast<ssize_t>(value.size()));
}

rd_kafka_headers_t* make_headers(const FailedRecord& record,
                                 const std::string& connector,
                                 bool context_headers) {
  rd_kafka_headers_t* headers =
      copy_headers(record.headers, record.header_count, 7);
  if (!context_headers) return headers;
  if (!record.origin_topic.empty()) {
    add_header(headers, dlq_header::kTopic, record.origin_topic);
  }
  if (record.origin_partition >= 0) {
    add_header(headers, dlq_header::kPartition,
               std::to_string(record.origin_partition));
  }
  if (record.origin_offset >= 0) {
    add_header(headers, dlq_header::kOffset,
               std::to_string(record.origin_offset));
  }
  add_header(headers, dlq_header::kConnector, connector);
  add_header(headers, dlq_header::kStage, record.stage);
  add_header(headers, dlq_header::kClass, record.error_class);
  add_header(headers, dlq_header::kMessage, record.message);
  return headers;
}

}  // namespace

rd_kafka_headers_t* copy_headers(const rdc_header* headers, size_t count,
                                 size_t extra) {
  if (count + extra == 0) return nullptr;
  rd_kafka_headers_t* copy = rd_kafka_headers_new(count + extra);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_header_add(copy, headers[i].name, -1, headers[i].value.data,
                        static_cast<ssize_t>(headers[i].value.len));
  }
  return copy;
}

FailedRecord failed_source_record(const rdc_source_record& record,
                                  std::string_view topic,
                                  std::string_view stage,
                                  std::string_view error_class,
                                  std::string_view message) {
  return {.origin_topic = topic,
          .timestamp_ms = record.timestamp_ms,
          .key = record.key,
          .value = record.value,
          .headers = record.headers,
          .header_count = record.header_count,
          .stage = stage,
          .error_class = error_class,
          .message = message};
}

FailedRecord failed_consumed_record(const rdc_record& record,
                                    std::string_view stage,
                                    std::string_view error_class,
                                    std::string_view message) {
  return {.origin_topic = record.topic,
          .origin_partition = record.partition,
          .origin_offset = record.offset,
          .timestamp_ms = record.timestamp_ms,
          .key = record.key,
          .value = record.value,
          .headers = record.headers,
          .header_count = record.header_count,
          .stage = stage,
          .error_class = error_class,
          .message = message};
}

DeadLetterQueue::DeadLetterQueue(const kafka::Properties& kafka,
                                 const config::ErrorPolicy& policy,
                                 std::string connector)
    : topic_(policy.dlq_topic),
      connector_(std::move(connector)),
      context_headers_(policy.dlq_context_headers) {
  kafka::Properties properties =
      kafka::merge({{"enable.idempotence", "true"}, {"acks", "all"}}, kafka);
  kafka::ConfPtr conf = kafka::make_conf(properties, "dlq-" + connector_);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &DeadLetterQueue::on_delivery);
  rd_kafka_conf_set_opaque(conf.get(), this);
  producer_ = kafka::make_client(RD_KAFKA_PRODUCER, std::move(conf));
}

void DeadLetterQueue::send(const FailedRecord& record) {
  rd_kafka_headers_t* headers =
      make_headers(record, connector_, context_headers_);
  while (true) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(record.key.data, record.key.len),
        RD_KAFKA_V_VALUE(const_cast<void*>(record.value.data),
                         record.value.len),
        RD_KAFKA_V_TIMESTAMP(record.timestamp_ms > 0 ? record.timestamp_ms : 0),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_headers_destroy(headers);
      throw Error::fatal("cannot send a record to the dead-letter topic '" +
                         topic_ + "': " + rd_kafka_err2str(err));
    }
    rd_kafka_poll(producer_.get(), 100);
  }
}

void DeadLetterQueue::flush() {
  while (rd_kafka_outq_len(producer_.get()) > 0) {
    rd_kafka_flush(producer_.get(), 1000);
  }
  if (const uint64_t lost = undelivered_.exchange(0); lost > 0) {
    throw Error::fatal(std::to_string(lost) +
                       " record(s) could not be delivered to the dead-letter "
                       "topic '" +
                       topic_ + "'");
  }
}

void DeadLetterQueue::on_delivery(rd_kafka_t* /*client*/,
                                  const rd_kafka_message_t* message,
                                  void* opaque) {
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  auto* self = static_cast<DeadLetterQueue*>(opaque);
  self->undelivered_.fetch_add(1);
  spdlog::error("[{}] delivery to the dead-letter topic '{}' failed: {}",
                self->connector_, self->topic_, rd_kafka_err2str(message->err));
}

}  // namespace rdconnect::runtime
