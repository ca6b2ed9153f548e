// What a connector is doing, readable from other threads (progress line;
// later the HTTP status endpoint).
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace rdconnect::runtime {

enum class ConnectorState { created, running, finished, stopped, failed };

std::string_view state_name(ConnectorState state);

/// Counters a connector updates as it runs. Monotonic except `lag`.
struct ConnectorMetrics {
  /// Records delivered to Kafka (sources) or flushed by the plugin (sinks).
  std::atomic<uint64_t> records{0};
  /// Records that failed for good (bad key, delivery failure, plugin
  /// record_error).
  std::atomic<uint64_t> record_errors{0};
  /// Sinks: records not yet consumed on the assigned partitions; -1 unknown.
  std::atomic<int64_t> lag{-1};
};

class ConnectorStatus {
 public:
  ConnectorState state() const { return state_.load(); }
  void set_state(ConnectorState state) { state_.store(state); }

  /// Moves to failed and keeps the first reason.
  void fail(const std::string& reason);
  std::string failure_reason() const;

  bool terminal() const {
    const ConnectorState state = state_.load();
    return state == ConnectorState::finished ||
           state == ConnectorState::stopped || state == ConnectorState::failed;
  }

  ConnectorMetrics metrics;

 private:
  std::atomic<ConnectorState> state_{ConnectorState::created};
  mutable std::mutex mutex_;
  std::string failure_reason_;
};

}  // namespace rdconnect::runtime
