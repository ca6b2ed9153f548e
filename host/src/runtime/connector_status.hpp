// What a connector is doing, readable from other threads (progress line,
// the HTTP status endpoint).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/histogram.h>

#include "common/guarded.hpp"
#include "runtime/call_durations.hpp"
#include "runtime/kafka_clients.hpp"
#include "runtime/partition_figures.hpp"
#include "runtime/record_stage.hpp"

namespace rdconnect::runtime {

/// RUNNING → FAILED → RESTARTING → RUNNING while restarts are allowed; a
/// connector that runs out of restarts stays FAILED.
enum class ConnectorState {
  created,
  running,
  finished,
  stopped,
  failed,
  restarting
};

std::string_view state_name(ConnectorState state);

/// Bucket bounds of the records-per-put histogram: 1 to 100k.
const prometheus::Histogram::BucketBoundaries& batch_buckets();

/// Counters a connector updates as it runs, across its incarnations (the
/// metrics endpoint reads them). Monotonic except `lag`, `partition_lags`
/// and `producer_queue`.
struct ConnectorMetrics {
  /// Records delivered to Kafka (sources) or flushed by the plugin (sinks).
  std::atomic<uint64_t> records{0};
  /// The key and value bytes of those records.
  std::atomic<uint64_t> bytes{0};
  /// Records handed over by the plugin (sources) or consumed from Kafka
  /// (sinks), and their key and value bytes.
  std::atomic<uint64_t> records_in{0};
  std::atomic<uint64_t> bytes_in{0};
  /// Sources: records in the producer's queue, not yet acknowledged.
  std::atomic<int64_t> producer_queue{0};
  /// Durations of the plugin calls (put, flush, poll, ...).
  CallDurations plugin_calls;
  /// Sinks: durations of offset commits, and records per put().
  prometheus::Histogram commit_seconds{latency_buckets()};
  prometheus::Histogram put_batch_records{batch_buckets()};
  /// Records that failed for good (bad key, delivery failure, plugin
  /// record_error).
  std::atomic<uint64_t> record_errors{0};
  /// The same, by stage (as kRecordStages).
  std::array<std::atomic<uint64_t>, kRecordStages.size()>
      record_errors_by_stage{};
  /// Sinks: records not yet consumed on the assigned partitions; -1 unknown.
  std::atomic<int64_t> lag{-1};
  /// Sinks: each partition's lag as of the last progress report; empty
  /// while unknown.
  Guarded<std::vector<PartitionLagSample>> partition_lags;
  /// Sources: records delivered per partition (published by the
  /// connector's thread after each round of delivery reports).
  Guarded<std::vector<DeliveredPartition>> delivered;
  /// Failed calls retried (plugin calls, commits, deliveries), each retry
  /// once.
  std::atomic<uint64_t> retries{0};
  /// Records sent to the dead-letter topic.
  std::atomic<uint64_t> dead_lettered{0};
  /// Automatic restarts after failures.
  std::atomic<uint32_t> restarts{0};
};

class ConnectorStatus {
 public:
  ConnectorState state() const { return state_.load(); }
  void set_state(ConnectorState state) {
    state_.store(state);
    changed();
  }

  /// The operator's pause (HTTP API): sinks stop fetching and sources stop
  /// polling their plugin, while both keep their Kafka clients (and group
  /// membership). It outlives incarnations: a restarted connector stays
  /// paused. Any thread.
  void set_paused(bool paused) {
    paused_.store(paused);
    changed();
  }
  bool paused() const { return paused_.load(); }
  /// The state shown to operators: PAUSED for a running connector that is
  /// paused, else state_name(state()).
  std::string_view state_label() const;

  /// `listener` is called, on the connector's threads, after each change
  /// the runtime may be waiting for: a new state, a commit. Set it before
  /// the connector starts; it must be cheap and must not block.
  void set_listener(std::function<void()> listener) {
    listener_ = std::move(listener);
  }
  /// Tells the listener that something changed.
  void changed() const {
    if (listener_) listener_();
  }

  /// Moves to failed with `reason`, unless it is failed already. A
  /// permanent failure is one a restart would meet again: the supervisor
  /// gives up at once.
  void fail(const std::string& reason, bool permanent = false);
  /// Why it failed last (kept after a restart, for the status line).
  std::string failure_reason() const;
  /// Whether the last failure was permanent.
  bool failed_permanently() const;
  /// A new incarnation runs.
  void restarted();
  /// An incarnation got as far as a working plugin instance.
  void mark_ran() { ran_.store(true); }
  /// Whether any incarnation ever did.
  bool ran() const { return ran_.load(); }
  /// A sink task of this incarnation took its first assignment, and its
  /// group now holds the offsets it starts from (those its sink keeps).
  void mark_task_positioned() { tasks_positioned_.fetch_add(1); }
  /// How many of this incarnation's tasks did. Until all have, the group's
  /// commits may be an older history's (a sink pointed at a new table) and
  /// its lag says nothing of this run.
  int tasks_positioned() const { return tasks_positioned_.load(); }

  /// Finished, stopped or failed; a failed connector may still be
  /// restarted by its supervisor, which then moves it to restarting.
  bool terminal() const {
    const ConnectorState state = state_.load();
    return state == ConnectorState::finished ||
           state == ConnectorState::stopped || state == ConnectorState::failed;
  }

  ConnectorMetrics metrics;
  /// Sinks: the partitions the tasks hold now, each added when its task
  /// opened it and removed when the task gave it up or ended.
  Guarded<std::vector<AssignedPartition>> assigned;
  /// The Kafka clients of this incarnation's tasks and their statistics.
  KafkaClients kafka_clients;

 private:
  std::atomic<ConnectorState> state_{ConnectorState::created};
  std::atomic<bool> ran_{false};
  std::atomic<bool> paused_{false};
  std::atomic<int> tasks_positioned_{0};
  std::function<void()> listener_;
  mutable std::mutex mutex_;
  std::string failure_reason_;
  bool permanent_ = false;
};

}  // namespace rdconnect::runtime
