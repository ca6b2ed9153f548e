// The running host: creates the topics, starts every connector under a
// supervisor, reports progress, and stops everything in order.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "kafka/topic_admin.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_registry.hpp"
#include "runtime/dead_letter_queue.hpp"
#include "runtime/progress_reporter.hpp"
#include "runtime/shutdown_deadline.hpp"

namespace rdconnect::runtime {

struct RunOptions {
  /// Exit once every source has finished and every sink's group has
  /// committed up to the end of its topics.
  bool until_caught_up = false;
  /// Reads and prepares the config anew, for a reload (SIGHUP, POST
  /// /reload); throws as prepare_plan does. Unset: reloads are refused.
  std::function<ConnectorPlan()> load_config;
};

class ConnectorRuntime {
 public:
  ConnectorRuntime(ConnectorPlan plan, RunOptions options);
  ~ConnectorRuntime();

  /// Runs until request_stop() (or, with until_caught_up, until caught up).
  /// Returns the process exit code: 0, or 1 if a connector failed for good,
  /// never ran, or was waiting for a restart when the run ended. Stopping
  /// that outlasts host.shutdown_timeout_ms ends the process with 1.
  int run();

  /// Thread-safe; called from the signal thread.
  void request_stop();
  /// Reload the config on the run loop (SIGHUP). Thread-safe.
  void request_reload();

  /// The seam for the HTTP API: snapshots and requests, from any thread.
  ConnectorRegistry& registry() { return registry_; }

 private:
  void create_topics();
  /// Prepares the connector's topics (retried for up to a minute, cut
  /// short by a stop) and builds its registry entry, not yet started.
  /// Throws Error when the cluster cannot prepare them.
  std::unique_ptr<RegisteredConnector> prepare_source(PreparedSource source);
  std::unique_ptr<RegisteredConnector> prepare_sink(PreparedSink sink);
  /// The entry of a connector whose topics are prepared; creates its
  /// dead-letter topic.
  std::unique_ptr<RegisteredConnector> source_entry(PreparedSource source,
                                                    int32_t partitions);
  std::unique_ptr<RegisteredConnector> sink_entry(PreparedSink sink);
  void make_admin();
  /// The reloader (registry's reload()): run loop only. In
  /// connector_reload.cpp.
  ReloadOutcome reload();
  /// Stops the named connectors (sources first), flushed and committed.
  void stop_for_reload(const std::vector<std::string>& names);
  /// Builds and registers each prepared connector in place of the one of
  /// its name, and starts them, sinks first; a failed one goes to
  /// `outcome.failed`.
  void start_for_reload(std::vector<PreparedSource> sources,
                        std::vector<PreparedSink> sinks,
                        const std::vector<std::string>& paused,
                        ReloadOutcome& outcome);
  std::shared_ptr<DeadLetterQueue> dead_letters_for(
      const std::string& connector, const config::ErrorPolicy& policy,
      const kafka::Properties& overrides, int64_t max_record_bytes);
  void start_connectors();
  void stop_connectors();
  bool wait_for_stop(std::chrono::milliseconds timeout);
  bool take_reload_request();
  /// Called on connector threads (see ConnectorStatus::set_listener).
  void connector_changed();
  /// Ask the cluster for every sink group's lag; publish it (-1 unknown).
  /// `per_partition` (the progress report) publishes each partition's lag
  /// in records and in seconds too, which reads one record per partition
  /// behind.
  void refresh_lags(bool per_partition = false);
  /// Fails a source whose topic no longer has the partition count its
  /// routing was planned with (deleted and re-created, or altered).
  void check_source_partitions();
  void check_partition_count(RegisteredConnector& source);
  bool everything_ended() const;
  bool caught_up();
  int exit_code() const;
  void set_shutdown_step(std::string step);

  // Declared first, so that it is destroyed last: its deadline also covers
  // the destruction of every Kafka client below.
  std::unique_ptr<ShutdownDeadline> shutdown_deadline_;
  ConnectorPlan plan_;
  RunOptions options_;
  // Before the connectors: their threads call connector_changed() until
  // they are joined.
  std::mutex mutex_;
  std::condition_variable stop_requested_cv_;
  bool stop_requested_ = false;
  bool reload_requested_ = false;
  bool connector_changed_ = false;
  // Set from connector_changed_ by wait_for_stop, for the run loop only.
  bool changed_since_check_ = false;
  // Cuts start-up retries and admin calls short.
  std::stop_source stop_source_;
  std::unique_ptr<kafka::TopicAdmin> admin_;
  // After mutex_: the registry's wake-up takes it.
  ConnectorRegistry registry_;
  std::unique_ptr<ProgressReporter> progress_;
  std::chrono::steady_clock::time_point next_caught_up_check_;
  std::chrono::steady_clock::time_point next_partition_check_;
  // Connectors of the config that a reload could not start: the run
  // fails (exit code 1) unless a later reload starts them.
  std::vector<FailedConnector> not_started_;
};

}  // namespace rdconnect::runtime
