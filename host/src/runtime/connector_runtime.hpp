// The running host: creates the topics, starts every connector, reports
// progress, and stops everything in order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/connector_plan.hpp"
#include "runtime/progress_reporter.hpp"
#include "runtime/sink_connector.hpp"
#include "runtime/source_connector.hpp"

namespace rdconnect::runtime {

struct RunOptions {
  /// Exit once every source has finished and every sink's group has
  /// committed up to the end of its topics.
  bool until_caught_up = false;
};

class ConnectorRuntime {
 public:
  ConnectorRuntime(ConnectorPlan plan, RunOptions options);
  ~ConnectorRuntime();

  /// Runs until request_stop() (or, with until_caught_up, until caught up).
  /// Returns the process exit code: 0, or 1 if a connector failed.
  int run();

  /// Thread-safe; called from the signal thread.
  void request_stop();

 private:
  void create_topics();
  void start_connectors();
  void stop_connectors();
  bool wait_for_stop(std::chrono::milliseconds timeout);
  void stop_failed_connectors();
  bool everything_ended() const;
  bool caught_up();
  int exit_code() const;

  ConnectorPlan plan_;
  RunOptions options_;
  std::vector<std::unique_ptr<SourceConnector>> sources_;
  std::vector<std::unique_ptr<SinkConnector>> sinks_;
  std::unique_ptr<ProgressReporter> progress_;

  std::mutex mutex_;
  std::condition_variable stop_requested_cv_;
  bool stop_requested_ = false;
};

}  // namespace rdconnect::runtime
