#include "runtime/dead_letter_queue.hpp"

#include <algorithm>

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
                                 std::string connector,
                                 int64_t max_message_bytes)
    : topic_(policy.dlq_topic),
      connector_(std::move(connector)),
      context_headers_(policy.dlq_context_headers) {
  kafka::Properties properties =
      kafka::merge({{"enable.idempotence", "true"},
                    {"acks", "all"},
                    {"message.max.bytes", std::to_string(max_message_bytes)}},
                   kafka);
  kafka::ConfPtr conf = kafka::make_conf(properties, "dlq-" + connector_);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &DeadLetterQueue::on_delivery);
  rd_kafka_conf_set_opaque(conf.get(), this);
  producer_ = kafka::make_client(RD_KAFKA_PRODUCER, std::move(conf));
}

void DeadLetterQueue::send(const FailedRecord& record) {
  rd_kafka_headers_t* headers =
      make_headers(record, connector_, context_headers_);
  const int64_t timestamp = record.timestamp_ms > 0 ? record.timestamp_ms : 0;
  while (true) {
    const rd_kafka_resp_err_t err =
        rd_kafka_producev(producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                          RD_KAFKA_V_KEY(record.key.data, record.key.len),
                          RD_KAFKA_V_VALUE(const_cast<void*>(record.value.data),
                                           record.value.len),
                          RD_KAFKA_V_TIMESTAMP(timestamp),
                          RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    if (err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE) {
      // Over this producer's message.max.bytes: the topic would refuse it.
      send_truncated(record.key.data, record.key.len, record.value.len, headers,
                     timestamp);
      return;
    }
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_headers_destroy(headers);
      throw Error::fatal("cannot send a record to the dead-letter topic '" +
                         topic_ + "': " + rd_kafka_err2str(err));
    }
    rd_kafka_poll(producer_.get(), 100);
  }
}

// Takes `headers`. The copy is marked by its opaque, so that a refusal of
// the copy itself is final.
void DeadLetterQueue::send_truncated(const void* key, size_t key_len,
                                     size_t value_len,
                                     rd_kafka_headers_t* headers,
                                     int64_t timestamp_ms) {
  static const char kEmpty[1] = {};
  const bool keep_key = key_len <= kMaxTruncatedKeyBytes;
  std::string note = "value of " + std::to_string(value_len) + " bytes";
  if (!keep_key) note += " and key of " + std::to_string(key_len) + " bytes";
  note += " dropped: the dead-letter topic '" + topic_ +
          "' refuses the whole record as too large";
  if (headers == nullptr) headers = rd_kafka_headers_new(1);
  add_header(headers, dlq_header::kTruncated, note);
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
      RD_KAFKA_V_KEY(keep_key ? key : nullptr, keep_key ? key_len : 0),
      RD_KAFKA_V_VALUE(const_cast<char*>(kEmpty), 0),
      RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_HEADERS(headers),
      RD_KAFKA_V_OPAQUE(const_cast<char*>(kEmpty)), RD_KAFKA_V_END);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_headers_destroy(headers);
    spdlog::error(
        "[{}] cannot send a record to the dead-letter topic '{}', "
        "even without its value: {}",
        connector_, topic_, rd_kafka_err2str(err));
    count_undelivered(err);
  }
}

void DeadLetterQueue::flush() {
  while (rd_kafka_outq_len(producer_.get()) > 0) {
    rd_kafka_flush(producer_.get(), 1000);
  }
  if (const uint64_t lost = undelivered_.exchange(0); lost > 0) {
    const std::string message =
        std::to_string(lost) +
        " record(s) that failed could not be delivered to the dead-letter "
        "topic '" +
        topic_ + "' either; their offsets are not committed";
    if (refused_.exchange(false)) {
      throw Error::permanent(message +
                             " (the topic refuses them: raise its "
                             "max.message.bytes or check its ACLs)");
    }
    throw Error::fatal(message);
  }
}

namespace {

// Refusals that a restart would meet again.
bool refused_for_good(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
      return true;
    default:
      return false;
  }
}

bool too_large(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
         err == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE;
}

}  // namespace

void DeadLetterQueue::count_undelivered(rd_kafka_resp_err_t err) {
  if (refused_for_good(err)) refused_.store(true);
  undelivered_.fetch_add(1);
}

// Runs inside rd_kafka_poll/flush, on the thread that called it.
void DeadLetterQueue::on_delivery(rd_kafka_t* /*client*/,
                                  const rd_kafka_message_t* message,
                                  void* opaque) {
  if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  auto* self = static_cast<DeadLetterQueue*>(opaque);
  const bool already_truncated = message->_private != nullptr;
  if (too_large(message->err) && !already_truncated) {
    rd_kafka_headers_t* original = nullptr;
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message, &original) ==
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      headers = rd_kafka_headers_copy(original);
    }
    self->send_truncated(message->key, message->key_len, message->len, headers,
                         rd_kafka_message_timestamp(message, nullptr));
    return;
  }
  spdlog::error("[{}] delivery to the dead-letter topic '{}' failed: {}",
                self->connector_, self->topic_, rd_kafka_err2str(message->err));
  self->count_undelivered(message->err);
}

int64_t dead_letter_message_bytes(int64_t max_record_bytes,
                                  std::optional<int64_t> topic_limit) {
  // librdkafka's default and its bounds for message.max.bytes.
  constexpr int64_t kDefault = 1000000;
  constexpr int64_t kMin = 1000;
  constexpr int64_t kMax = 1000000000;
  // Room for the copied headers and the rdconnect.error.* ones.
  constexpr int64_t kHeaderRoom = 64 * 1024;
  int64_t bytes = std::max(kDefault, max_record_bytes + kHeaderRoom);
  if (topic_limit) bytes = std::min(bytes, *topic_limit);
  return std::clamp(bytes, kMin, kMax);
}

}  // namespace rdconnect::runtime
