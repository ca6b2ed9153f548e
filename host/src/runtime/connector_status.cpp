#include "runtime/connector_status.hpp"

namespace rdconnect::runtime {

const prometheus::Histogram::BucketBoundaries& batch_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      1, 10, 100, 500, 1000, 5000, 10000, 100000};
  return buckets;
}

std::string_view state_name(ConnectorState state) {
  switch (state) {
    case ConnectorState::created:
      return "CREATED";
    case ConnectorState::running:
      return "RUNNING";
    case ConnectorState::finished:
      return "FINISHED";
    case ConnectorState::stopped:
      return "STOPPED";
    case ConnectorState::failed:
      return "FAILED";
    case ConnectorState::restarting:
      return "RESTARTING";
  }
  return "UNKNOWN";
}

std::string_view ConnectorStatus::state_label() const {
  const ConnectorState current = state();
  if (current == ConnectorState::running && paused()) return "PAUSED";
  return state_name(current);
}

void ConnectorStatus::fail(const std::string& reason, bool permanent) {
  {
    std::lock_guard lock(mutex_);
    // Several tasks may fail at once: the first says why, unless a later
    // failure is permanent and the first was not.
    if (state_.load() == ConnectorState::failed && (permanent_ || !permanent)) {
      return;
    }
    failure_reason_ = reason;
    permanent_ = permanent;
    state_.store(ConnectorState::failed);
  }
  changed();
}

bool ConnectorStatus::failed_permanently() const {
  std::lock_guard lock(mutex_);
  return permanent_;
}

void ConnectorStatus::restarted() {
  metrics.restarts.fetch_add(1);
  tasks_positioned_.store(0);
  {
    std::lock_guard lock(mutex_);
    permanent_ = false;
  }
  state_.store(ConnectorState::running);
}

std::string ConnectorStatus::failure_reason() const {
  std::lock_guard lock(mutex_);
  return failure_reason_;
}

}  // namespace rdconnect::runtime
