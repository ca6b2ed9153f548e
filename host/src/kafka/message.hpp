// A read-only view of one message librdkafka handed out: consumed by a
// consumer, or reported back to a producer's delivery handler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <librdkafka/rdkafka.h>

#include "kafka/error_code.hpp"
#include "kafka/headers.hpp"

namespace rdconnect::kafka {

/// Valid while the message it views is: until the consumer's MessagePtr is
/// destroyed, or until a delivery handler returns.
class Message {
 public:
  explicit Message(const rd_kafka_message_t& message) : message_(&message) {}

  /// The topic's name; stable while the message lives.
  const char* topic() const { return rd_kafka_topic_name(message_->rkt); }
  bool has_topic() const { return message_->rkt != nullptr; }
  int32_t partition() const { return message_->partition; }
  /// Whether `other` is of the same topic and partition; compares the topic
  /// handles, not the names, so it costs nothing per record.
  bool same_partition(const Message& other) const {
    return message_->rkt == other.message_->rkt &&
           message_->partition == other.message_->partition;
  }
  int64_t offset() const { return message_->offset; }
  /// Milliseconds since the epoch, or -1 when the message has none.
  int64_t timestamp_ms() const {
    return rd_kafka_message_timestamp(message_, nullptr);
  }

  /// Null for a null key (as opposed to an empty one).
  const void* key() const { return message_->key; }
  size_t key_size() const { return message_->key_len; }
  /// Null for a null value (a tombstone).
  const void* value() const { return message_->payload; }
  size_t value_size() const { return message_->len; }

  ErrorCode error() const { return ErrorCode(message_->err); }
  /// The error's text, with detail librdkafka keeps in the message.
  std::string error_text() const { return rd_kafka_message_errstr(message_); }
  /// What the producer was given as the record's opaque.
  void* opaque() const { return message_->_private; }

  /// Calls `visit(name, value, size)` for each header in order; `value` is
  /// null for a header without one. Parses the headers once per message.
  template <typename Visit>
  void for_each_header(Visit&& visit) const {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message_, &headers) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return;
    }
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
         RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      visit(name, value, size);
    }
  }

  /// A copy of the headers, to produce the message again.
  Headers copy_headers() const {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message_, &headers) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return Headers();
    }
    return Headers::copy_of(headers);
  }

 private:
  const rd_kafka_message_t* message_;
};

}  // namespace rdconnect::kafka
