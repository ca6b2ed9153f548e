// One task of a sink connector: a consumer in the connector's group, a
// plugin instance, and the thread that moves records between them.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "kafka/client_config.hpp"
#include "kafka/consumer.hpp"
#include "kafka/message.hpp"
#include "runtime/call_watch.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/join_order.hpp"
#include "runtime/partition_ends.hpp"
#include "runtime/partition_offsets.hpp"
#include "runtime/plugin_call.hpp"
#include "runtime/plugin_host.hpp"
#include "runtime/record_failures.hpp"
#include "runtime/record_views.hpp"
#include "runtime/retry.hpp"
#include "schema/record_converter.hpp"

namespace rdconnect::runtime {

class SinkTask {
 public:
  /// `status` is the connector's, shared by its tasks, as is `join_order`;
  /// both outlive the task. `dead_letters` may be null. With `flush_at_end`,
  /// the task flushes as soon as it has read every assigned partition to its
  /// end (the consumer must have enable.partition.eof), for runs that stop once
  /// caught up.
  SinkTask(const PreparedSink& prepared, kafka::Properties consumer_properties,
           int task_index, ConnectorStatus& status, JoinOrder& join_order,
           std::shared_ptr<DeadLetterQueue> dead_letters, bool flush_at_end);
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
  using Clock = std::chrono::steady_clock;

  PluginCaller caller() const { return {*prepared_.plugin, watch_}; }
  const rdc_sink_api& api() const { return prepared_.plugin->sink(); }
  /// Applies the error policy; returns why the record could not be taken.
  std::optional<std::string> fail_record(const FailedRecord& record);
  /// Throws the error a failed record stopped the task with, if any.
  void throw_if_stopping();
  void run(std::stop_token stop);
  /// The consumer's name (in its client.id and the metrics).
  std::string client_name() const { return "sink-" + name_; }
  void consume_loop(std::stop_token stop);
  void poll_batch(std::stop_token stop);
  void take_polled();
  void log_consumer_error(const kafka::Message& message);
  void deliver(std::stop_token stop);
  void note_unflushed_offsets();
  bool oversized(const kafka::Message& message);
  void convert_accepted(std::stop_token stop);
  /// Converts one part into `target`; false after handing a failure to the
  /// error policy.
  bool convert_part(const kafka::Message& message, schema::RecordPart part,
                    std::optional<std::string>& target);
  /// The record a plugin reported, with the key and value as consumed: a
  /// dead letter carries the original bytes, not their conversion.
  FailedRecord failed_by_plugin(const rdc_record& record,
                                const char* message) const;
  void put_with_retry(std::stop_token stop);
  void follow_pause_request(std::stop_token stop);
  bool flush_due() const;
  /// Flush the plugin (retrying retriable failures as `retrier` allows) and
  /// commit what it made durable; throws when the flush failed, and then
  /// nothing is committed.
  void flush_and_commit(std::stop_token stop, const Retrier& retrier);
  void commit_flushed();
  void commit(const PartitionOffsets& offsets);
  void commit_resume_offsets();
  void shut_down();
  void fail_and_leave(const std::exception& error);

  void on_rebalance(kafka::Rebalance kind,
                    std::vector<kafka::TopicPartition>& partitions);
  void assign(std::vector<kafka::TopicPartition>& partitions);
  void revoke(const std::vector<kafka::TopicPartition>& partitions, bool lost);

  const PreparedSink& prepared_;
  int task_index_;
  std::string name_;  // "<connector>#<task index>"
  kafka::Properties consumer_properties_;
  ConnectorStatus& status_;
  JoinOrder& join_order_;
  RecordFailures failures_;
  Retrier retrier_;
  // Bounded more tightly: a rebalance must not wait long for a flush.
  Retrier revoke_retrier_;
  PluginHost plugin_host_;
  mutable CallWatch watch_;
  std::unique_ptr<kafka::Consumer> consumer_;
  void* instance_ = nullptr;

  // The batch poll_batch() collects; revoke() removes the messages of the
  // partitions it takes away. Kept between batches with its memory, as
  // are the views and the list of records that reach put().
  std::vector<kafka::MessagePtr> batch_;
  // What one poll returned, before it is sorted into the batch.
  std::vector<kafka::MessagePtr> polled_;
  std::vector<kafka::Message> accepted_;
  // What the convert stage made of each accepted record (empty when the
  // connector's formats convert nothing).
  std::vector<ConvertedParts> converted_;
  schema::RecordConverter converter_;
  RecordViews views_;
  // Offsets open() took from the sink's own store, to commit to the group.
  PartitionOffsets resume_offsets_;
  // The first assignment came, and then its resume offsets were committed.
  bool assigned_once_ = false;
  bool positioned_ = false;
  // Next offset per partition for records put but not yet flushed.
  PartitionOffsets unflushed_;
  uint64_t unflushed_records_ = 0;
  uint64_t unflushed_bytes_ = 0;
  bool flush_at_end_;
  PartitionEnds ends_;
  Clock::time_point last_flush_;
  Clock::time_point last_consumer_error_log_;
  // Set when a failed record stops the task (errors.tolerance = none, or
  // the dead-letter topic refused it).
  std::optional<Error> stop_error_;
  // Whether the operator's pause is applied to the current assignment.
  bool consumer_paused_ = false;
  // Inside the plugin's flush(): a failed record is dead-lettered at once.
  bool flushing_ = false;
  // The task's stop token, for calls made from the rebalance callback.
  std::stop_token stop_;
  std::jthread thread_;
};

}  // namespace rdconnect::runtime
