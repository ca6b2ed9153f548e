// The one owner of every connector, as Kafka Connect's herder: each
// connector's prepared config held by value, its supervisor, its status.
// The run loop, the HTTP API (and later metrics and reload) go through it;
// nothing else holds a connector or a reference into its config.
//
// Threads: the run loop (ConnectorRuntime) adds connectors, supervises them
// and serves requests (serve_requests). Any thread may take a snapshot or
// post a request, which then runs on the run loop: supervisors are the run
// loop's alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/group_lag.hpp"
#include "runtime/connector_offsets.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_snapshot.hpp"
#include "runtime/connector_supervisor.hpp"
#include "runtime/reload_outcome.hpp"

namespace rdconnect::runtime {

/// One connector as the registry holds it. Exactly one of `source` and
/// `sink` is set; the supervisor's factory holds the same shared_ptr, so
/// every incarnation reads a config that lives as long as it does.
struct RegisteredConnector {
  std::shared_ptr<const PreparedSource> source;
  std::shared_ptr<const PreparedSink> sink;
  std::unique_ptr<ConnectorSupervisor> supervisor;
  /// Sinks: reads the group's committed offsets (and the records at
  /// them); sources: their topic's start and end offsets. Shared with the
  /// HTTP threads that read offsets outside the registry's lock.
  std::shared_ptr<kafka::GroupLag> lag;
  /// Sources: the partition count of the topic their routing was planned
  /// with.
  int32_t planned_partitions = 0;

  const std::string& name() const { return supervisor->name(); }
  bool is_sink() const { return sink != nullptr; }
  /// Tasks the connector runs (a source has one).
  int tasks() const { return sink ? sink->config.tasks : 1; }
};

class ConnectorRegistry {
 public:
  /// A request run on the run loop, with the registry.
  using Request = std::function<void(ConnectorRegistry&)>;
  /// Re-reads the config and applies the difference (ConnectorRuntime).
  using Reloader = std::function<ReloadOutcome()>;

  /// `wake` is called, on the posting thread, when a request waits for the
  /// run loop; it must be cheap and must not block.
  explicit ConnectorRegistry(std::function<void()> wake);
  ~ConnectorRegistry();
  ConnectorRegistry(const ConnectorRegistry&) = delete;
  ConnectorRegistry& operator=(const ConnectorRegistry&) = delete;

  // Run loop only.
  void add(std::unique_ptr<RegisteredConnector> connector);
  /// In the order added; sinks and sources together.
  const std::vector<std::unique_ptr<RegisteredConnector>>& connectors() const {
    return connectors_;
  }
  RegisteredConnector* find(std::string_view name);
  /// Puts `connector` in the place of the one named `name` (nullptr:
  /// removes it) and returns the one it replaced, to be destroyed outside
  /// the registry's lock.
  std::unique_ptr<RegisteredConnector> replace(
      std::string_view name, std::unique_ptr<RegisteredConnector> connector);
  /// Before serving requests.
  void set_reloader(Reloader reloader) { reloader_ = std::move(reloader); }
  /// Runs the reloader (SIGHUP, POST /reload), counts and logs what it did.
  ReloadOutcome reload();
  /// Runs the requests posted so far. After stop_serving(), requests are
  /// dropped unanswered (their futures report a broken promise).
  void serve_requests();
  void stop_serving();
  /// Stops the current incarnation (flushing and committing, as at the
  /// end of a run) and starts a new one at once. Blocks the run loop for
  /// as long as the incarnation takes to stop.
  void restart(RegisteredConnector& connector);

  // Any thread.
  /// Posts `request` for the run loop; false when it no longer serves.
  bool post(Request request);
  /// Runs `request` on the run loop and returns its answer, or nullopt
  /// when the run loop did not answer within `timeout` (it is busy
  /// stopping a connector, or the host is stopping).
  template <typename Answer>
  std::optional<Answer> call(std::function<Answer(ConnectorRegistry&)> request,
                             std::chrono::milliseconds timeout);
  /// Every connector's status, in the order added.
  std::vector<ConnectorSnapshot> snapshot() const;
  std::optional<ConnectorSnapshot> snapshot(std::string_view name) const;
  /// Pauses or resumes; false for an unknown connector.
  bool set_paused(std::string_view name, bool paused);
  /// Where the connector's partitions stand, asked of the cluster now
  /// (bounded as read_lag is), outside the registry's lock; nullopt for an
  /// unknown connector.
  std::optional<ConnectorOffsets> offsets(std::string_view name) const;
  /// reload() on the run loop; nullopt when it did not answer within
  /// `timeout` (the reload may still be under way: the log tells).
  std::optional<ReloadOutcome> request_reload(
      std::chrono::milliseconds timeout);
  ReloadCounts reload_counts() const;

 private:
  ConnectorSnapshot snapshot_of(const RegisteredConnector& connector) const;

  std::function<void()> wake_;
  Reloader reloader_;
  // Guards connectors_ against the readers on other threads; the run loop
  // takes it only to change the list.
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<RegisteredConnector>> connectors_;
  ReloadCounts reload_counts_;  // under mutex_
  std::mutex requests_mutex_;
  std::vector<Request> requests_;
  bool serving_ = true;
};

template <typename Answer>
std::optional<Answer> ConnectorRegistry::call(
    std::function<Answer(ConnectorRegistry&)> request,
    std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<Answer>>();
  std::future<Answer> answer = promise->get_future();
  const bool posted = post(
      [promise, request = std::move(request)](ConnectorRegistry& registry) {
        promise->set_value(request(registry));
      });
  if (!posted || answer.wait_for(timeout) != std::future_status::ready) {
    return std::nullopt;
  }
  try {
    return answer.get();
  } catch (const std::future_error&) {
    return std::nullopt;  // dropped unanswered: the host is stopping
  }
}

}  // namespace rdconnect::runtime
