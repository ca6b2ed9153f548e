// Keeps one connector running: starts it, notices when it failed or a
// plugin call blocks, and restarts it with backoff while the connector's
// restart policy allows.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/host_config.hpp"
#include "runtime/connector.hpp"
#include "runtime/connector_status.hpp"

namespace rdconnect::runtime {

class ConnectorSupervisor {
 public:
  /// Creates an incarnation that reports into the given status.
  using Factory = std::function<std::unique_ptr<Connector>(ConnectorStatus&)>;

  ConnectorSupervisor(std::string name, std::string kind,
                      config::RestartPolicy restart,
                      std::chrono::milliseconds call_timeout, Factory factory);
  ~ConnectorSupervisor();
  ConnectorSupervisor(const ConnectorSupervisor&) = delete;
  ConnectorSupervisor& operator=(const ConnectorSupervisor&) = delete;

  void start();
  /// Called by the host every tick: fails a connector whose plugin blocks,
  /// stops what is left of a failed incarnation, and restarts when due.
  void supervise();
  void request_stop();
  /// Joins the current incarnation. One that was waiting for a restart
  /// ends FAILED: it did not finish its work.
  void join();
  /// Stops the current incarnation (flushed and committed, as at the end
  /// of a run) and starts a new one at once, even one that had given up.
  void restart_now();
  /// Restarts one task of the running incarnation (all of it when its
  /// tasks cannot restart alone). nullopt when done, else why not: the
  /// connector is not running, or the task is stuck in a plugin call.
  std::optional<std::string> restart_task(int task);
  /// Fails the connector from outside (a check the host makes), for good.
  void fail_permanently(const std::string& reason);

  const std::string& name() const { return name_; }
  const std::string& kind() const { return kind_; }
  const ConnectorStatus& status() const { return status_; }
  /// For the operator's pause (ConnectorStatus::set_paused, any thread).
  ConnectorStatus& status() { return status_; }
  /// See ConnectorStatus::set_listener; before start().
  void set_listener(std::function<void()> listener) {
    status_.set_listener(std::move(listener));
  }
  /// For figures measured outside the connector (its group's lag).
  ConnectorMetrics& metrics() { return status_.metrics; }
  /// Finished, stopped, or failed with no restart left.
  bool ended() const;

 private:
  using Clock = std::chrono::steady_clock;

  void detect_blocked_call();
  void schedule_restart();
  void restart();
  void replace_incarnation();
  std::chrono::milliseconds restart_delay() const;
  std::string why_giving_up() const;

  std::string name_;
  std::string kind_;
  config::RestartPolicy policy_;
  std::chrono::milliseconds call_timeout_;
  Factory factory_;
  ConnectorStatus status_;
  std::unique_ptr<Connector> current_;
  // Incarnations stuck in a plugin call: they cannot be joined, so they are
  // kept (never destroyed) rather than block the host.
  std::vector<std::unique_ptr<Connector>> abandoned_;
  bool current_abandoned_ = false;
  uint32_t restarts_in_a_row_ = 0;
  std::optional<Clock::time_point> restart_at_;
  // Progress is measured from here: metrics.records when the current
  // incarnation started.
  uint64_t records_at_start_ = 0;
  bool gave_up_ = false;
};

}  // namespace rdconnect::runtime
