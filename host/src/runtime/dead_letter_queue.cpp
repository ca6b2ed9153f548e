#include "runtime/dead_letter_queue.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/error.hpp"

namespace rdconnect::runtime {
namespace {

kafka::Headers make_headers(const FailedRecord& record,
                            const std::string& connector,
                            bool context_headers) {
  kafka::Headers headers = copy_headers(record.headers, record.header_count, 7);
  if (!context_headers) return headers;
  if (!record.origin_topic.empty()) {
    headers.add(dlq_header::kTopic, record.origin_topic);
  }
  if (record.origin_partition >= 0) {
    headers.add(dlq_header::kPartition,
                std::to_string(record.origin_partition));
  }
  if (record.origin_offset >= 0) {
    headers.add(dlq_header::kOffset, std::to_string(record.origin_offset));
  }
  headers.add(dlq_header::kConnector, connector);
  headers.add(dlq_header::kStage, record.stage);
  headers.add(dlq_header::kClass, record.error_class);
  headers.add(dlq_header::kMessage, record.message);
  return headers;
}

}  // namespace

kafka::Headers copy_headers(const rdc_header* headers, size_t count,
                            size_t extra) {
  if (count + extra == 0) return kafka::Headers();
  kafka::Headers copy(count + extra);
  for (size_t i = 0; i < count; ++i) {
    copy.add(headers[i].name, headers[i].value.data, headers[i].value.len);
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
  producer_ = std::make_unique<kafka::Producer>(
      properties, "dlq-" + connector_,
      [this](const kafka::Message& message) { on_delivery(message); });
}

void DeadLetterQueue::send(const FailedRecord& record) {
  kafka::Headers headers = make_headers(record, connector_, context_headers_);
  const kafka::OutgoingRecord outgoing{
      .topic = topic_.c_str(),
      .key = record.key.data,
      .key_size = record.key.len,
      .value = record.value.data,
      .value_size = record.value.len,
      .timestamp_ms = record.timestamp_ms > 0 ? record.timestamp_ms : 0};
  while (true) {
    const kafka::ErrorCode err = producer_->produce(outgoing, headers);
    if (err.ok()) return;
    if (err.is_too_large()) {
      // Over this producer's message.max.bytes: the topic would refuse it.
      send_truncated(record.key.data, record.key.len, record.value.len,
                     std::move(headers), outgoing.timestamp_ms);
      return;
    }
    if (!err.is_queue_full()) {
      throw Error::fatal("cannot send a record to the dead-letter topic '" +
                         topic_ + "': " + err.text());
    }
    producer_->poll(100);
  }
}

// The copy is marked by its opaque, so that a refusal of the copy itself
// is final.
void DeadLetterQueue::send_truncated(const void* key, size_t key_len,
                                     size_t value_len, kafka::Headers headers,
                                     int64_t timestamp_ms) {
  static const char kEmpty[1] = {};
  const bool keep_key = key_len <= kMaxTruncatedKeyBytes;
  std::string note = "value of " + std::to_string(value_len) + " bytes";
  if (!keep_key) note += " and key of " + std::to_string(key_len) + " bytes";
  note += " dropped: the dead-letter topic '" + topic_ +
          "' refuses the whole record as too large";
  headers.add(dlq_header::kTruncated, note);
  const kafka::OutgoingRecord outgoing{.topic = topic_.c_str(),
                                       .key = keep_key ? key : nullptr,
                                       .key_size = keep_key ? key_len : 0,
                                       .value = kEmpty,
                                       .value_size = 0,
                                       .timestamp_ms = timestamp_ms,
                                       .opaque = const_cast<char*>(kEmpty)};
  const kafka::ErrorCode err = producer_->produce(outgoing, headers);
  if (!err.ok()) {
    spdlog::error(
        "[{}] cannot send a record to the dead-letter topic '{}', "
        "even without its value: {}",
        connector_, topic_, err.text());
    count_undelivered(err);
  }
}

void DeadLetterQueue::flush() {
  while (producer_->queued() > 0) producer_->flush(1000);
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

void DeadLetterQueue::count_undelivered(kafka::ErrorCode err) {
  if (err.is_refused_for_good()) refused_.store(true);
  undelivered_.fetch_add(1);
}

// Runs inside Producer::poll/flush, on the thread that called it.
void DeadLetterQueue::on_delivery(const kafka::Message& message) {
  const kafka::ErrorCode err = message.error();
  if (err.ok()) return;
  const bool already_truncated = message.opaque() != nullptr;
  if (err.is_too_large() && !already_truncated) {
    send_truncated(message.key(), message.key_size(), message.value_size(),
                   message.copy_headers(), message.timestamp_ms());
    return;
  }
  spdlog::error("[{}] delivery to the dead-letter topic '{}' failed: {}",
                connector_, topic_, err.text());
  count_undelivered(err);
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
