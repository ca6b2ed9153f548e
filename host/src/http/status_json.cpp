#include "http/status_json.hpp"

#include <algorithm>

namespace rdconnect::http {
namespace {

using nlohmann::json;

json task_id_json(const runtime::ConnectorSnapshot& connector, int task) {
  return {{"connector", connector.name}, {"task", task}};
}

// Why a running connector is not ready yet: a Kafka client of its tasks
// that has not reported a live broker connection. Empty when none.
std::string unconnected_client(const runtime::ConnectorSnapshot& connector) {
  for (const runtime::KafkaClients::Entry& entry : connector.kafka_clients) {
    if (!entry.statistics) {
      return "Kafka client " + entry.client + " has not connected yet";
    }
    if (!entry.statistics->connected()) {
      return "Kafka client " + entry.client + " is connected to no broker";
    }
  }
  return {};
}

// Empty when the connector is ready: RUNNING with its clients connected,
// or FINISHED.
std::string not_ready_reason(const runtime::ConnectorSnapshot& connector) {
  if (connector.state == "FINISHED") return {};
  if (connector.state == "RUNNING") {
    const std::string client = unconnected_client(connector);
    return client.empty() ? client : "RUNNING, but " + client;
  }
  std::string reason = connector.state;
  if (!connector.failure_reason.empty()) {
    reason += ": " + connector.failure_reason;
  }
  return reason;
}

// A sink task's partitions, each with its lag as of the last progress
// report (null until known), and their sum (null unless every one is known).
void add_partitions(const runtime::ConnectorSnapshot& connector,
                    const runtime::TaskSnapshot& task, json& entry) {
  json partitions = json::array();
  int64_t lag = 0;
  bool every_lag_known = true;
  for (const runtime::AssignedPartition& assigned : task.partitions) {
    const auto sample = std::find_if(
        connector.partition_lags.begin(), connector.partition_lags.end(),
        [&](const runtime::PartitionLagSample& one) {
          return one.topic == assigned.topic &&
                 one.partition == assigned.partition;
        });
    json partition = {{"topic", assigned.topic},
                      {"partition", assigned.partition},
                      {"lag", nullptr}};
    if (sample == connector.partition_lags.end()) {
      every_lag_known = false;
    } else {
      partition["lag"] = sample->records;
      lag += sample->records;
    }
    partitions.push_back(std::move(partition));
  }
  entry["partitions"] = std::move(partitions);
  entry["lag"] = every_lag_known ? json(lag) : json(nullptr);
}

}  // namespace

json status_json(const runtime::ConnectorSnapshot& connector,
                 const std::string& worker_id) {
  json state = {{"state", connector.state}, {"worker_id", worker_id}};
  // Connect's trace is a stack trace; ours is the failure, which names the
  // plugin call that failed.
  if (!connector.failure_reason.empty()) {
    state["trace"] = connector.failure_reason;
  }
  json tasks = json::array();
  for (const runtime::TaskSnapshot& task : connector.tasks) {
    json entry = {
        {"id", task.id}, {"state", task.state}, {"worker_id", worker_id}};
    if (task.state == "FAILED" || task.state == "RESTARTING") {
      entry["trace"] = connector.failure_reason;
    }
    if (connector.kind == "sink") add_partitions(connector, task, entry);
    tasks.push_back(std::move(entry));
  }
  return {{"name", connector.name},
          {"type", connector.kind},
          {"connector", std::move(state)},
          {"tasks", std::move(tasks)},
          {"paused", connector.paused},
          {"plugin", connector.plugin},
          {"plugin_version", connector.plugin_version},
          {"topics", connector.topics},
          {"records", connector.records},
          {"record_errors", connector.record_errors},
          {"dead_lettered", connector.dead_lettered},
          {"restarts", connector.restarts},
          {"retries", connector.retries},
          {"lag", connector.lag >= 0 ? json(connector.lag) : json(nullptr)}};
}

json config_json(const runtime::ConnectorSnapshot& connector) {
  json config = {{"plugin", connector.plugin}};
  for (const auto& entry : connector.config) config[entry.key] = entry.value;
  return config;
}

json info_json(const runtime::ConnectorSnapshot& connector) {
  json tasks = json::array();
  for (const runtime::TaskSnapshot& task : connector.tasks) {
    tasks.push_back(task_id_json(connector, task.id));
  }
  return {{"name", connector.name},
          {"type", connector.kind},
          {"config", config_json(connector)},
          {"tasks", std::move(tasks)}};
}

json tasks_json(const runtime::ConnectorSnapshot& connector) {
  json tasks = json::array();
  for (const runtime::TaskSnapshot& task : connector.tasks) {
    tasks.push_back({{"id", task_id_json(connector, task.id)},
                     {"config", config_json(connector)}});
  }
  return tasks;
}

json readiness_json(const std::vector<runtime::ConnectorSnapshot>& connectors) {
  json reasons = json::object();
  for (const runtime::ConnectorSnapshot& connector : connectors) {
    std::string reason = not_ready_reason(connector);
    if (!reason.empty()) reasons[connector.name] = std::move(reason);
  }
  const bool all_ready = !connectors.empty() && reasons.empty();
  if (connectors.empty()) reasons["host"] = "starting: no connector runs yet";
  return {{"ready", all_ready}, {"connectors", std::move(reasons)}};
}

json error_json(int status, const std::string& message) {
  return {{"error_code", status}, {"message", message}};
}

}  // namespace rdconnect::http
