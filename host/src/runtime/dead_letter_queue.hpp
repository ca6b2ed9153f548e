// The dead-letter topic of a connector: records that failed for good, with
// headers that say where they came from and why.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <rdconnect/plugin.h>

#include "config/host_config.hpp"
#include "kafka/client_config.hpp"
#include "kafka/headers.hpp"
#include "kafka/message.hpp"
#include "kafka/producer.hpp"

namespace rdconnect::runtime {

/// A record that failed for good and why. Origin fields are those of the
/// consumed record (sinks); a source's record has no origin offset (-1).
struct FailedRecord {
  std::string_view origin_topic;
  int32_t origin_partition = -1;
  int64_t origin_offset = -1;
  int64_t timestamp_ms = -1;
  rdc_bytes key{};
  rdc_bytes value{};
  const rdc_header* headers = nullptr;
  size_t header_count = 0;
  /// Where it failed: a stage of kRecordStages (record_stage.hpp).
  std::string_view stage;
  /// What kind of failure: "RecordError", "RecordTooLarge", ...
  std::string_view error_class;
  std::string_view message;
};

FailedRecord failed_consumed_record(const rdc_record& record,
                                    std::string_view stage,
                                    std::string_view error_class,
                                    std::string_view message);

/// A source's record, for `topic`, that could not be produced.
FailedRecord failed_source_record(const rdc_source_record& record,
                                  std::string_view topic,
                                  std::string_view stage,
                                  std::string_view error_class,
                                  std::string_view message);

/// Kafka headers holding copies of `headers`, with room for `extra` more;
/// none at all (no allocation) when there are none and no room is asked for.
kafka::Headers copy_headers(const rdc_header* headers, size_t count,
                            size_t extra = 0);

/// Header names, in the spirit of Kafka Connect's __connect.errors.*.
namespace dlq_header {
inline constexpr const char* kTopic = "rdconnect.error.topic";
inline constexpr const char* kPartition = "rdconnect.error.partition";
inline constexpr const char* kOffset = "rdconnect.error.offset";
inline constexpr const char* kConnector = "rdconnect.error.connector";
inline constexpr const char* kStage = "rdconnect.error.stage";
inline constexpr const char* kClass = "rdconnect.error.class";
inline constexpr const char* kMessage = "rdconnect.error.message";
/// On a record sent without its value: what was dropped and why.
inline constexpr const char* kTruncated = "rdconnect.error.truncated";
}  // namespace dlq_header

/// Produces to the dead-letter topic through an idempotent producer of its
/// own. Thread-safe: a connector's tasks share one.
///
/// A record the topic refuses as too large is sent again without its value
/// (and without a key over kMaxTruncatedKeyBytes), with its headers and a
/// kTruncated header, so that its fate is recorded all the same.
class DeadLetterQueue {
 public:
  /// `max_message_bytes` is the producer's message.max.bytes: the largest
  /// record the topic takes (see dead_letter_message_bytes).
  DeadLetterQueue(const kafka::Properties& kafka,
                  const config::ErrorPolicy& policy, std::string connector,
                  int64_t max_message_bytes);

  const std::string& topic() const { return topic_; }

  /// Hand the record to the producer (the original key, value, headers and
  /// timestamp, plus the context headers when enabled). Blocks while the
  /// producer's queue is full.
  void send(const FailedRecord& record);

  /// Wait until everything sent is acknowledged by the brokers. Throws an
  /// Error when a record could not be delivered, permanent when the topic
  /// refused it (too large even without its value, not authorised): the
  /// offsets of the records that failed must not be committed then.
  void flush();

  static constexpr size_t kMaxTruncatedKeyBytes = 1024;

 private:
  void on_delivery(const kafka::Message& message);
  void send_truncated(const void* key, size_t key_len, size_t value_len,
                      kafka::Headers headers, int64_t timestamp_ms);
  void count_undelivered(kafka::ErrorCode err);

  std::string topic_;
  std::string connector_;
  bool context_headers_;
  std::unique_ptr<kafka::Producer> producer_;
  std::atomic<uint64_t> undelivered_{0};
  // Whether a restart could help with what was not delivered.
  std::atomic<bool> refused_{false};
};

/// message.max.bytes for a dead-letter producer: room for the largest
/// record the connector accepts (max_record_bytes, 0 = no limit of its own)
/// plus headers, bounded by the topic's max.message.bytes when known.
int64_t dead_letter_message_bytes(int64_t max_record_bytes,
                                  std::optional<int64_t> topic_limit);

}  // namespace rdconnect::runtime
