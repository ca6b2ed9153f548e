// A librdkafka result code as a value: its name, its text, and what it
// means for the caller.
#pragma once

#include <librdkafka/rdkafka.h>

namespace rdconnect::kafka {

class ErrorCode {
 public:
  ErrorCode() = default;
  explicit ErrorCode(rd_kafka_resp_err_t code) : code_(code) {}

  bool ok() const { return code_ == RD_KAFKA_RESP_ERR_NO_ERROR; }
  /// librdkafka's name of the code, e.g. "MSG_SIZE_TOO_LARGE"; static.
  const char* name() const { return rd_kafka_err2name(code_); }
  /// A human-readable text; static, valid for the life of the process.
  const char* text() const { return rd_kafka_err2str(code_); }

  /// Not an error: the consumer read a partition to its end for now
  /// (enable.partition.eof).
  bool is_partition_end() const {
    return code_ == RD_KAFKA_RESP_ERR__PARTITION_EOF;
  }
  /// The producer's local queue is full: serve deliveries and try again.
  bool is_queue_full() const { return code_ == RD_KAFKA_RESP_ERR__QUEUE_FULL; }
  /// The record is larger than the producer or the topic accepts.
  bool is_too_large() const {
    return code_ == RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE ||
           code_ == RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE;
  }
  /// A refusal that sending the same record again would meet again.
  bool is_refused_for_good() const {
    switch (code_) {
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

 private:
  rd_kafka_resp_err_t code_ = RD_KAFKA_RESP_ERR_NO_ERROR;
};

}  // namespace rdconnect::kafka
