// A librdkafka high-level consumer the runtime talks to instead of raw
// calls: RAII over the client, the rebalance callback as a std::function,
// both rebalance protocols (eager and cooperative) handled here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/client_statistics.hpp"
#include "kafka/error_code.hpp"
#include "kafka/handles.hpp"

namespace rdconnect::kafka {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  /// Where to start (assign), or the next offset to commit. Negative
  /// values are librdkafka's logical offsets (RD_KAFKA_OFFSET_*).
  int64_t offset = RD_KAFKA_OFFSET_INVALID;

  /// Whether this is partition `number` of `topic_name`.
  bool is(std::string_view topic_name, int32_t number) const {
    return partition == number && topic == topic_name;
  }
};

enum class Rebalance {
  /// Partitions given to this member; the handler may set where each one
  /// starts (TopicPartition::offset, default: the committed offset).
  assigned,
  /// Partitions taken away in an orderly rebalance: their records may
  /// still be made durable and committed.
  revoked,
  /// Partitions lost (the member was thrown out of the group): another
  /// member may own them already, so nothing may be committed for them.
  lost,
};

class Consumer {
 public:
  /// Runs inside poll() or close(), on the thread that called it. An
  /// exception it throws cannot unwind through librdkafka's C frames: it
  /// is kept and rethrown when that poll() or close() returns.
  using RebalanceHandler =
      std::function<void(Rebalance, std::vector<TopicPartition>&)>;

  /// Throws rdconnect::Error (fatal) when librdkafka refuses a property or
  /// the client cannot be created. `on_statistics`, when given, receives
  /// the client's statistics (every statistics.interval.ms) inside poll().
  Consumer(const Properties& properties, const std::string& client_name,
           RebalanceHandler on_rebalance, StatisticsHandler on_statistics = {});
  /// Destroys the client without leaving the group politely when close()
  /// was not called (the group then waits for session.timeout.ms).
  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  /// Throws rdconnect::Error (fatal) when librdkafka refuses.
  void subscribe(const std::vector<std::string>& topics);

  /// The next message or consumer error (Message::error()), waiting up to
  /// `timeout_ms`; null when none came. Rebalances are served here.
  MessagePtr poll(int timeout_ms);

  /// Appends to `out` up to `max` messages and consumer errors that are
  /// ready now, without waiting, and returns how many. One librdkafka call
  /// for all of them, so the per-poll cost (clock reads, poll-interval
  /// bookkeeping) is paid once per batch, not once per record. Rebalances
  /// are served here too; no message appended belongs to a partition that
  /// a rebalance during the call took away.
  size_t poll_ready(size_t max, std::vector<MessagePtr>& out);

  /// Makes a poll() waiting on another thread return at once, with
  /// nothing. Thread-safe: the one call here meant for any thread.
  void wake();

  /// Commits `offsets` (the next offset to read, per partition) and waits
  /// for the coordinator's answer.
  ErrorCode commit(std::span<const TopicPartition> offsets);

  /// Stops or resumes fetching for every partition assigned now and, while
  /// paused, for every partition assigned later, from the moment it is
  /// assigned (so a rebalance cannot let a paused consumer fetch).
  void set_paused(bool paused);

  /// The reason the consumer failed for good, if it did.
  std::optional<std::string> fatal_error() const;

  /// Leaves the group: revokes the assignment through the handler, then
  /// returns. Idempotent; a consumer closed cannot poll again.
  void close();

 private:
  void leave_if_unassigned();
  static void on_rebalance(rd_kafka_t* client, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions,
                           void* opaque);
  static int on_statistics(rd_kafka_t* client, char* json, size_t json_size,
                           void* opaque);
  void rebalance(rd_kafka_resp_err_t err,
                 rd_kafka_topic_partition_list_t& partitions);
  void rethrow_handler_failure();
  void note_taken_during_batch(bool assigned,
                               const std::vector<TopicPartition>& partitions);
  bool taken_during_batch(const rd_kafka_message_t& message) const;

  RebalanceHandler on_rebalance_;
  std::string client_name_;
  StatisticsHandler on_statistics_;
  ClientPtr client_;
  // The consumer group's queue, which poll_ready() reads in batches. Must
  // go before client_ does.
  QueuePtr queue_;
  bool closed_ = false;
  bool paused_ = false;
  std::exception_ptr handler_failure_;
  std::vector<rd_kafka_message_t*> ready_;
  bool in_batch_ = false;
  // Partitions revoked or lost during the poll_ready() call under way, and
  // not assigned again since within it.
  std::vector<TopicPartition> taken_during_batch_;
};

}  // namespace rdconnect::kafka
