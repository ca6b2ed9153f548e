// A librdkafka producer the runtime talks to instead of raw calls: RAII
// over the client and its topic handles, delivery reports as a callback.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/client_statistics.hpp"
#include "kafka/error_code.hpp"
#include "kafka/handles.hpp"
#include "kafka/headers.hpp"
#include "kafka/message.hpp"

namespace rdconnect::kafka {

/// What produce() sends. Key and value are copied; a null key or value is
/// sent as null.
struct OutgoingRecord {
  const char* topic = nullptr;
  /// RD_KAFKA_PARTITION_UA lets librdkafka's partitioner choose.
  int32_t partition = RD_KAFKA_PARTITION_UA;
  const void* key = nullptr;
  size_t key_size = 0;
  const void* value = nullptr;
  size_t value_size = 0;
  /// 0: the time of producing.
  int64_t timestamp_ms = 0;
  /// Returned by the delivery report's Message::opaque().
  void* opaque = nullptr;
};

class Producer {
 public:
  /// Called once per record produced, with its outcome (Message::error()),
  /// on the thread that calls poll() or flush(), inside that call. The
  /// message is valid only during the call.
  using DeliveryHandler = std::function<void(const Message&)>;

  /// Throws rdconnect::Error (fatal) when librdkafka refuses a property or
  /// the client cannot be created. `on_statistics`, when given, receives
  /// the client's statistics (every statistics.interval.ms) inside poll()
  /// or flush().
  Producer(const Properties& properties, const std::string& client_name,
           DeliveryHandler on_delivery, StatisticsHandler on_statistics = {});
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  /// Hands the record to librdkafka; takes `headers` on success and leaves
  /// them with the caller otherwise. Never blocks: a full local queue is
  /// ErrorCode::is_queue_full(). Thread-safe.
  ErrorCode produce(const OutgoingRecord& record, Headers& headers);

  /// Serves delivery reports for up to `timeout_ms` (0: only those ready).
  void poll(int timeout_ms);
  /// Waits up to `timeout_ms` for every queued record's delivery report.
  void flush(int timeout_ms);
  /// Records produced whose delivery report has not been served yet.
  int queued() const;
  /// The reason the producer failed for good (an idempotence violation),
  /// after which nothing it produces is delivered.
  std::optional<std::string> fatal_error() const;

  /// The topic's partition count from the cluster's metadata; nullopt when
  /// the topic does not exist. Throws rdconnect::Error (retriable) when the
  /// cluster cannot be asked within `timeout_ms`.
  std::optional<int32_t> partition_count(const std::string& topic,
                                         int timeout_ms);

 private:
  static void on_delivery_report(rd_kafka_t* client,
                                 const rd_kafka_message_t* message,
                                 void* opaque);
  static int on_statistics(rd_kafka_t* client, char* json, size_t json_size,
                           void* opaque);
  // A handle per topic produced to, created on first use: producing by
  // handle spares librdkafka a look-up by name for every record.
  rd_kafka_topic_t* topic_handle(const char* topic);

  struct TopicDeleter {
    void operator()(rd_kafka_topic_t* topic) const {
      rd_kafka_topic_destroy(topic);
    }
  };
  using TopicPtr = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;

  DeliveryHandler on_delivery_;
  std::string client_name_;
  StatisticsHandler on_statistics_;
  ClientPtr client_;
  std::mutex topics_mutex_;
  std::vector<std::pair<std::string, TopicPtr>> topics_;
};

}  // namespace rdconnect::kafka
