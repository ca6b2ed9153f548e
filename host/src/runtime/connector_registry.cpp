#include "runtime/connector_registry.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "runtime/lag_reading.hpp"

namespace rdconnect::runtime {
namespace {

template <typename Prepared>
void describe_plugin(const Prepared& prepared, ConnectorSnapshot& snapshot) {
  snapshot.plugin = prepared.plugin->name();
  snapshot.plugin_version = prepared.plugin->version();
  snapshot.plugin_file = prepared.plugin->file().string();
  snapshot.config = prepared.plugin_config.masked_entries();
}

}  // namespace

ConnectorRegistry::ConnectorRegistry(std::function<void()> wake)
    : wake_(std::move(wake)) {}

// Requests still queued hold promises: dropping them answers their callers.
ConnectorRegistry::~ConnectorRegistry() { stop_serving(); }

void ConnectorRegistry::add(std::unique_ptr<RegisteredConnector> connector) {
  const std::lock_guard lock(mutex_);
  connectors_.push_back(std::move(connector));
}

RegisteredConnector* ConnectorRegistry::find(std::string_view name) {
  for (const auto& connector : connectors_) {
    if (connector->name() == name) return connector.get();
  }
  return nullptr;
}

std::unique_ptr<RegisteredConnector> ConnectorRegistry::replace(
    std::string_view name, std::unique_ptr<RegisteredConnector> connector) {
  const std::lock_guard lock(mutex_);
  const auto found =
      std::find_if(connectors_.begin(), connectors_.end(),
                   [name](const auto& entry) { return entry->name() == name; });
  if (found == connectors_.end()) {
    if (connector) connectors_.push_back(std::move(connector));
    return nullptr;
  }
  std::unique_ptr<RegisteredConnector> replaced = std::move(*found);
  if (connector) {
    *found = std::move(connector);
  } else {
    connectors_.erase(found);
  }
  return replaced;
}

ReloadOutcome ConnectorRegistry::reload() {
  ReloadOutcome outcome;
  if (reloader_) {
    outcome = reloader_();
  } else {
    outcome.error = "this host cannot reload its config";
  }
  {
    const std::lock_guard lock(mutex_);
    ++reload_counts_.reloads;
    if (!outcome.successful()) ++reload_counts_.failures;
    reload_counts_.last_successful = outcome.successful();
  }
  if (outcome.successful()) {
    spdlog::info("{}", summary(outcome));
  } else {
    spdlog::error("{}", summary(outcome));
  }
  return outcome;
}

std::optional<ReloadOutcome> ConnectorRegistry::request_reload(
    std::chrono::milliseconds timeout) {
  return call<ReloadOutcome>(
      [](ConnectorRegistry& registry) { return registry.reload(); }, timeout);
}

ReloadCounts ConnectorRegistry::reload_counts() const {
  const std::lock_guard lock(mutex_);
  return reload_counts_;
}

bool ConnectorRegistry::post(Request request) {
  {
    const std::lock_guard lock(requests_mutex_);
    if (!serving_) return false;
    requests_.push_back(std::move(request));
  }
  wake_();
  return true;
}

void ConnectorRegistry::serve_requests() {
  std::vector<Request> requests;
  {
    const std::lock_guard lock(requests_mutex_);
    requests.swap(requests_);
  }
  for (Request& request : requests) {
    try {
      request(*this);
    } catch (const std::exception& error) {
      // Its caller sees no answer; the run loop goes on.
      spdlog::error("a control request failed: {}", error.what());
    }
  }
}

void ConnectorRegistry::stop_serving() {
  std::vector<Request> dropped;
  const std::lock_guard lock(requests_mutex_);
  serving_ = false;
  dropped.swap(requests_);
}

void ConnectorRegistry::restart(RegisteredConnector& connector) {
  spdlog::info("[{}] restart requested", connector.name());
  connector.supervisor->restart_now();
}

bool ConnectorRegistry::set_paused(std::string_view name, bool paused) {
  const std::lock_guard lock(mutex_);
  for (const auto& connector : connectors_) {
    if (connector->name() != name) continue;
    ConnectorStatus& status = connector->supervisor->status();
    if (status.paused() != paused) {
      spdlog::info("[{}] {}", connector->name(),
                   paused ? "pause requested" : "resume requested");
    }
    status.set_paused(paused);
    return true;
  }
  return false;
}

std::optional<ConnectorOffsets> ConnectorRegistry::offsets(
    std::string_view name) const {
  ConnectorOffsets offsets;
  std::shared_ptr<kafka::GroupLag> reader;
  {
    const std::lock_guard lock(mutex_);
    const auto found = std::find_if(
        connectors_.begin(), connectors_.end(),
        [name](const auto& connector) { return connector->name() == name; });
    if (found == connectors_.end()) return std::nullopt;
    const RegisteredConnector& connector = **found;
    const ConnectorStatus& status = connector.supervisor->status();
    offsets.kind = connector.supervisor->kind();
    if (connector.sink) {
      offsets.group_id = connector.sink->config.group_id;
      offsets.assigned = status.assigned.get();
    } else {
      offsets.delivered = status.metrics.delivered.get();
    }
    reader = connector.lag;
  }
  if (reader) offsets.reading = read_lag(*reader, offsets.kind == "sink");
  return offsets;
}

std::vector<ConnectorSnapshot> ConnectorRegistry::snapshot() const {
  const std::lock_guard lock(mutex_);
  std::vector<ConnectorSnapshot> snapshots;
  snapshots.reserve(connectors_.size());
  for (const auto& connector : connectors_) {
    snapshots.push_back(snapshot_of(*connector));
  }
  return snapshots;
}

std::optional<ConnectorSnapshot> ConnectorRegistry::snapshot(
    std::string_view name) const {
  const std::lock_guard lock(mutex_);
  for (const auto& connector : connectors_) {
    if (connector->name() == name) return snapshot_of(*connector);
  }
  return std::nullopt;
}

// Reads only what ConnectorStatus makes safe to read from any thread.
ConnectorSnapshot ConnectorRegistry::snapshot_of(
    const RegisteredConnector& connector) const {
  const ConnectorStatus& status = connector.supervisor->status();
  const ConnectorMetrics& metrics = status.metrics;
  ConnectorSnapshot snapshot;
  snapshot.name = connector.name();
  snapshot.kind = connector.supervisor->kind();
  snapshot.state = status.state_label();
  snapshot.paused = status.paused();
  snapshot.failure_reason = status.failure_reason();
  if (connector.sink) {
    describe_plugin(*connector.sink, snapshot);
    snapshot.topics = connector.sink->config.topics;
    snapshot.group_id = connector.sink->config.group_id;
  } else {
    describe_plugin(*connector.source, snapshot);
    snapshot.topics = {connector.source->config.topic};
  }
  snapshot.records = metrics.records.load();
  snapshot.bytes = metrics.bytes.load();
  snapshot.record_errors = metrics.record_errors.load();
  for (size_t stage = 0; stage < kRecordStages.size(); ++stage) {
    snapshot.record_errors_by_stage[stage] =
        metrics.record_errors_by_stage[stage].load();
  }
  snapshot.dead_lettered = metrics.dead_lettered.load();
  snapshot.restarts = metrics.restarts.load();
  snapshot.retries = metrics.retries.load();
  snapshot.lag = metrics.lag.load();
  snapshot.partition_lags = metrics.partition_lags.get();
  snapshot.records_in = metrics.records_in.load();
  snapshot.bytes_in = metrics.bytes_in.load();
  snapshot.producer_queue = metrics.producer_queue.load();
  snapshot.plugin_calls = metrics.plugin_calls.collect();
  snapshot.kafka_clients = status.kafka_clients.get();
  if (connector.sink) {
    snapshot.commit_seconds = metrics.commit_seconds.Collect();
    snapshot.put_batch_records = metrics.put_batch_records.Collect();
  }
  // The tasks of an incarnation share its state: a task that fails fails
  // the incarnation, and the supervisor restarts them together.
  for (int id = 0; id < connector.tasks(); ++id) {
    snapshot.tasks.push_back({id, snapshot.state, {}});
  }
  for (AssignedPartition& partition : status.assigned.get()) {
    if (partition.task >= 0 && partition.task < connector.tasks()) {
      snapshot.tasks[partition.task].partitions.push_back(std::move(partition));
    }
  }
  return snapshot;
}

}  // namespace rdconnect::runtime
