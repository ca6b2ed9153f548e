#include "runtime/connector_supervisor.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include <spdlog/spdlog.h>

namespace rdconnect::runtime {

ConnectorSupervisor::ConnectorSupervisor(std::string name, std::string kind,
                                         config::RestartPolicy restart,
                                         std::chrono::milliseconds call_timeout,
                                         Factory factory)
    : name_(std::move(name)),
      kind_(std::move(kind)),
      policy_(restart),
      call_timeout_(call_timeout),
      factory_(std::move(factory)) {}

ConnectorSupervisor::~ConnectorSupervisor() {
  request_stop();
  join();
  // Joining a thread stuck in a plugin would hang the host for ever; the
  // process is ending, so the threads end with it.
  if (current_abandoned_) abandoned_.push_back(std::move(current_));
  // Kept reachable, not released: they live as long as the process, and
  // LeakSanitizer must not take them for a leak (a released pointer is one).
  static std::mutex graveyard_mutex;
  static auto* graveyard = new std::vector<std::unique_ptr<Connector>>();
  const std::lock_guard lock(graveyard_mutex);
  for (auto& stuck : abandoned_) graveyard->push_back(std::move(stuck));
}

void ConnectorSupervisor::start() {
  current_ = factory_(status_);
  records_at_start_ = status_.metrics.records.load();
  current_->start();
}

void ConnectorSupervisor::supervise() {
  if (current_ == nullptr) return;
  detect_blocked_call();
  if (status_.state() == ConnectorState::failed && !restart_at_ && !gave_up_) {
    schedule_restart();
  }
  if (restart_at_ && Clock::now() >= *restart_at_) restart();
}

void ConnectorSupervisor::detect_blocked_call() {
  if (current_abandoned_) return;
  const std::optional<std::string> call = current_->blocked_call(call_timeout_);
  if (!call) return;
  const std::string reason = "plugin call " + *call + " of " + kind_ + " '" +
                             name_ + "' has not returned after " +
                             std::to_string(call_timeout_.count()) +
                             " ms; its thread is abandoned";
  spdlog::error("[{}] {}", name_, reason);
  status_.fail(reason);
  current_abandoned_ = true;
}

void ConnectorSupervisor::schedule_restart() {
  // What is left of the failed incarnation (its other tasks) stops now, so
  // that it has let go of its partitions by the time the new one starts.
  current_->request_stop();
  // A connector that made progress (records delivered or committed) since
  // it started is healthy again; one that merely stayed up is not, or a
  // failure that takes long to appear would never use up the restarts.
  if (status_.metrics.records.load() > records_at_start_) {
    restarts_in_a_row_ = 0;
  }
  if (status_.failed_permanently() || !policy_.enabled ||
      restarts_in_a_row_ >= static_cast<uint32_t>(policy_.max_restarts)) {
    gave_up_ = true;
    spdlog::error("[{}] {} FAILED{}: {}", name_, kind_, why_giving_up(),
                  status_.failure_reason());
    return;
  }
  const std::chrono::milliseconds delay = restart_delay();
  restart_at_ = Clock::now() + delay;
  status_.set_state(ConnectorState::restarting);
  spdlog::warn("[{}] {} failed: {}; restarting in {} ms (restart {} of {})",
               name_, kind_, status_.failure_reason(), delay.count(),
               restarts_in_a_row_ + 1, policy_.max_restarts);
}

std::string ConnectorSupervisor::why_giving_up() const {
  if (status_.failed_permanently()) return " (a restart cannot help)";
  if (!policy_.enabled) return " (restarts are disabled)";
  return " after " + std::to_string(restarts_in_a_row_) +
         " restarts without progress";
}

std::chrono::milliseconds ConnectorSupervisor::restart_delay() const {
  int64_t delay = policy_.initial_delay_ms;
  for (uint32_t i = 0; i < restarts_in_a_row_ && delay < policy_.max_delay_ms;
       ++i) {
    delay *= 2;
  }
  return std::chrono::milliseconds(
      std::min<int64_t>(delay, policy_.max_delay_ms));
}

void ConnectorSupervisor::restart() {
  ++restarts_in_a_row_;
  replace_incarnation();
  spdlog::info("[{}] {} restarted", name_, kind_);
}

// The operator asked: whatever the connector did, it gets a fresh run with
// its restarts counted afresh, as a new host would give it.
void ConnectorSupervisor::restart_now() {
  gave_up_ = false;
  restarts_in_a_row_ = 0;
  replace_incarnation();
  spdlog::info("[{}] {} restarted on request", name_, kind_);
}

std::optional<std::string> ConnectorSupervisor::restart_task(int task) {
  if (current_ == nullptr || status_.state() != ConnectorState::running) {
    return std::string("the connector is ") +
           std::string(status_.state_label()) +
           ", not RUNNING; restart the connector instead";
  }
  if (std::optional<std::string> call = current_->blocked_call(call_timeout_)) {
    return "a task is stuck in plugin call " + *call +
           "; restart the connector instead";
  }
  spdlog::info("[{}] restarting task {} on request", name_, task);
  if (current_->restart_task(task)) {
    status_.metrics.restarts.fetch_add(1);
  } else {
    replace_incarnation();  // counts the restart itself
  }
  return std::nullopt;
}

void ConnectorSupervisor::replace_incarnation() {
  restart_at_.reset();
  if (current_abandoned_) {
    abandoned_.push_back(std::move(current_));
    current_abandoned_ = false;
  } else if (current_ != nullptr) {
    current_->request_stop();
    current_->join();
    current_.reset();
  }
  status_.restarted();
  start();
}

void ConnectorSupervisor::request_stop() {
  restart_at_.reset();
  if (current_ != nullptr) current_->request_stop();
}

void ConnectorSupervisor::join() {
  if (current_ == nullptr || current_abandoned_) return;
  current_->join();
  if (status_.state() == ConnectorState::restarting) {
    status_.set_state(ConnectorState::failed);
  }
}

void ConnectorSupervisor::fail_permanently(const std::string& reason) {
  if (gave_up_) return;
  spdlog::error("[{}] {}", name_, reason);
  status_.fail(reason, true);
  // A restart already scheduled must not happen: the next tick gives up.
  restart_at_.reset();
}

bool ConnectorSupervisor::ended() const {
  if (status_.state() == ConnectorState::failed) return gave_up_;
  return status_.terminal();
}

}  // namespace rdconnect::runtime
