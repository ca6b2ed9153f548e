// The JSON bodies of the control API, in Kafka Connect's REST shapes
// wherever the meaning is the same, so that its users and tools feel at
// home; our own fields are added beside Connect's, never instead of them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/connector_snapshot.hpp"

namespace rdconnect::http {

/// GET /connectors/{name}/status: {"name", "type", "connector": {"state",
/// "worker_id", "trace"?}, "tasks": [{"id", "state", "worker_id"}]} and
/// our "paused", "plugin", "records", "record_errors", "dead_lettered",
/// "restarts", "lag" (null when unknown).
nlohmann::json status_json(const runtime::ConnectorSnapshot& connector,
                           const std::string& worker_id);

/// GET /connectors/{name}/config: the plugin's settings (secrets masked)
/// and "plugin", as strings, as Connect gives a connector's config.
nlohmann::json config_json(const runtime::ConnectorSnapshot& connector);

/// GET /connectors/{name}: {"name", "type", "config", "tasks":
/// [{"connector", "task"}]}.
nlohmann::json info_json(const runtime::ConnectorSnapshot& connector);

/// GET /connectors/{name}/tasks: [{"id": {"connector", "task"}, "config"}].
nlohmann::json tasks_json(const runtime::ConnectorSnapshot& connector);

/// GET /readyz: {"ready", "connectors": {name: reason}} naming each
/// connector that is neither FINISHED nor RUNNING with every Kafka client
/// connected to a broker (by its last statistics), with why.
nlohmann::json readiness_json(
    const std::vector<runtime::ConnectorSnapshot>& connectors);

/// Connect's error body: {"error_code", "message"}.
nlohmann::json error_json(int status, const std::string& message);

}  // namespace rdconnect::http
