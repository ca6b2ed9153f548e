// One task of a sink connector: a consumer in the connector's group, a
// plugin instance, and the thread that moves records between them.
#pragma once

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"
#include "runtime/call_watch.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/plugin_call.hpp"
#include "runtime/plugin_host.hpp"
#include "runtime/record_failures.hpp"
#include "runtime/retry.hpp"

namespace rdconnect::runtime {

using TopicPartitionKey = std::pair<std::string, int32_t>;

class SinkTask {
 public:
  /// `status` is the connector's, shared by its tasks; it outlives the task.
  /// `dead_letters` may be null.
  SinkTask(const PreparedSink& prepared, kafka::Properties consumer_properties,
           int task_index, ConnectorStatus& status,
           std::shared_ptr<DeadLetterQueue> dead_letters);
  ~SinkTask();
  SinkTask(const SinkTask&) = delete;
  SinkTask& operator=(const SinkTask&) = delete;

  void start();
  /// Flush, commit, close the partitions and leave the group.
  void request_stop();
  void join();
  /// The plugin call this task has been in for longer than `limit`.
  std::optional<std::string> blocked_call(
      std::chrono::milliseconds limit) const;

 private:
  PluginCaller caller() const { return {*prepared_.plugin, watch_}; }
  const rdc_sink_api& api() const { return prepared_.plugin->sink(); }
  /// Applies the error policy; returns why the record could not be taken.
  std::optional<std::string> fail_record(const FailedRecord& record);
  /// Throws the error a failed record stopped the task with, if any.
  void throw_if_stopping();
  void deliver(const std::vector<kafka::MessagePtr>& batch,
               std::stop_token stop);
  bool oversized(const rd_kafka_message_t& message);
  void set_paused(bool paused);
  void run(std::stop_token stop);
  void consume_loop(std::stop_token stop);
  std::vector<kafka::MessagePtr> poll_batch();
  void put_with_retry(const std::vector<const rd_kafka_message_t*>& batch,
                      std::stop_token stop);
  using Clock = std::chrono::steady_clock;
  /// Flush the plugin (retrying retriable failures as `retrier` allows) and
  /// commit what it made durable; throws when the flush failed, and then
  /// nothing is committed.
  void flush_and_commit(std::stop_token stop, const Retrier& retrier);
  void commit_flushed();
  void commit(const std::map<TopicPartitionKey, int64_t>& offsets);
  void commit_resume_offsets();
  void shut_down();

  static void on_rebalance(rd_kafka_t* consumer, rd_kafka_resp_err_t err,
                           rd_kafka_topic_partition_list_t* partitions,
                           void* opaque);
  void assign(rd_kafka_topic_partition_list_t* partitions);
  void revoke(rd_kafka_topic_partition_list_t* partitions);
  void rethrow_callback_failure();
  void log_consumer_error(const rd_kafka_message_t& message);

  const PreparedSink& prepared_;
  std::string name_;  // "<connector>#<task index>"
  kafka::Properties consumer_properties_;
  ConnectorStatus& status_;
  RecordFailures failures_;
  Retrier retrier_;
  // Bounded more tightly: a rebalance must not wait long for a flush.
  Retrier revoke_retrier_;
  PluginHost plugin_host_;
  mutable CallWatch watch_;
  kafka::ClientPtr consumer_;
  void* instance_ = nullptr;

  // The batch poll_batch() is collecting; revoke() removes the messages of
  // the partitions it takes away.
  std::vector<kafka::MessagePtr> collecting_;
  // Offsets open() took from the sink's own store, to commit to the group.
  std::map<TopicPartitionKey, int64_t> resume_offsets_;
  // Next offset per partition for records put but not yet flushed.
  std::map<TopicPartitionKey, int64_t> unflushed_;
  uint64_t unflushed_records_ = 0;
  std::chrono::steady_clock::time_point last_flush_;
  std::chrono::steady_clock::time_point last_consumer_error_log_;
  // An exception thrown inside the rebalance callback cannot unwind through
  // librdkafka's C frames; it is kept here and rethrown after the poll.
  std::exception_ptr callback_failure_;
  // Set when a failed record stops the task (errors.tolerance = none, or
  // the dead-letter topic refused it).
  std::optional<Error> stop_error_;
  // Inside the plugin's flush(): a failed record is dead-lettered at once.
  bool flushing_ = false;
  // The task's stop token, for calls made from the rebalance callback.
  std::stop_token stop_;
  std::jthread thread_;
};

}  // namespace rdconnect::runtime
