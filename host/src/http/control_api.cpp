#include "http/control_api.hpp"

#include <librdkafka/rdkafka.h>

#include <spdlog/spdlog.h>

#include "http/metrics_text.hpp"
#include "http/offsets_json.hpp"
#include "http/plugin_json.hpp"
#include "http/reload_json.hpp"
#include "http/status_json.hpp"

namespace rdconnect::http {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// A restart waits for the connector to flush, commit and leave its group.
constexpr auto kRestartTimeout = 60s;
// A reload stops the connectors it changes (as a restart does), then
// prepares the topics of the new ones (up to a minute).
constexpr auto kReloadTimeout = 180s;

// Connector names as the config allows them: no '/'.
constexpr const char* kName = "([^/]+)";

ApiResponse error(int status, const std::string& message) {
  return {status, error_json(status, message)};
}

ApiResponse unknown_connector(const std::string& name) {
  return error(404, "connector '" + name +
                        "' not found; GET /connectors lists the connectors");
}

ApiResponse restart_not_taken() {
  return error(503,
               "the host did not take the restart in time (it is stopping, "
               "or busy stopping another connector); ask again");
}

/// A boolean query parameter, as Connect reads them: "true" or "false".
std::optional<bool> flag(const ApiRequest& request, const std::string& name,
                         std::string& problem) {
  const auto found = request.query.find(name);
  if (found == request.query.end()) return false;
  if (found->second == "true") return true;
  if (found->second == "false") return false;
  problem = "query parameter " + name + "='" + found->second +
            "': expected true or false";
  return std::nullopt;
}

}  // namespace

ControlApi::ControlApi(runtime::ConnectorRegistry& registry,
                       std::string worker_id, plugin::PluginFinder plugins)
    : registry_(registry),
      worker_id_(std::move(worker_id)),
      plugins_(std::move(plugins)) {
  add("GET", "/", [this](auto&, auto&) { return root(); });
  add("GET", "/healthz", [](auto&, auto&) {
    return ApiResponse(200, {{"status", "ok"}});
  });
  add("GET", "/readyz", [this](auto&, auto&) { return readiness(); });
  add("GET", "/metrics", [this](auto&, auto&) {
    ApiResponse response(200, nullptr);
    response.text =
        metrics_text(registry_.snapshot(), registry_.reload_counts());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });
  add("GET", "/connectors",
      [this](const ApiRequest& request, auto&) { return connectors(request); });
  add("GET", std::string("/connectors/") + kName,
      [this](auto&, const Captures& name) {
        return connector(name[0], info_json);
      });
  add("GET", std::string("/connectors/") + kName + "/config",
      [this](auto&, const Captures& name) {
        return connector(name[0], config_json);
      });
  add("GET", std::string("/connectors/") + kName + "/status",
      [this](auto&, const Captures& name) {
        return connector(name[0], [this](const auto& snapshot) {
          return status_json(snapshot, worker_id_);
        });
      });
  add("GET", std::string("/connectors/") + kName + "/tasks",
      [this](auto&, const Captures& name) {
        return connector(name[0], tasks_json);
      });
  add("GET", std::string("/connectors/") + kName + "/offsets",
      [this](auto&, const Captures& name) { return offsets(name[0]); });
  add("PUT", std::string("/connectors/") + kName + "/pause",
      [this](auto&, const Captures& name) {
        return set_paused(name[0], true);
      });
  add("PUT", std::string("/connectors/") + kName + "/resume",
      [this](auto&, const Captures& name) {
        return set_paused(name[0], false);
      });
  add("POST", std::string("/connectors/") + kName + "/tasks/([0-9]+)/restart",
      [this](auto&, const Captures& captures) {
        return restart_task(captures[0], captures[1]);
      });
  add("POST", std::string("/connectors/") + kName + "/restart",
      [this](const ApiRequest& request, const Captures& name) {
        return restart(request, name[0]);
      });
  add("POST", "/reload", [this](auto&, auto&) { return reload(); });
  add("GET", "/connector-plugins",
      [this](auto&, auto&) { return connector_plugins(); });
  add("GET", std::string("/connector-plugins/") + kName + "/config",
      [this](auto&, const Captures& name) { return plugin_config(name[0]); });
  add("PUT", std::string("/connector-plugins/") + kName + "/config/validate",
      [this](const ApiRequest& request, const Captures& name) {
        return validate_plugin_config(request, name[0]);
      });
}

void ControlApi::add(std::string method, const std::string& pattern,
                     Handler handler) {
  routes_.push_back(
      {std::move(method), std::regex(pattern), std::move(handler)});
}

ApiResponse ControlApi::handle(const ApiRequest& request) const {
  try {
    return dispatch(request);
  } catch (const std::exception& failure) {
    spdlog::error("HTTP {} {}: {}", request.method, request.path,
                  failure.what());
    return error(500, std::string("internal error: ") + failure.what());
  }
}

// A path that exists under another method is a 405 naming the methods it
// has, as HTTP asks; one that exists under none is a 404.
ApiResponse ControlApi::dispatch(const ApiRequest& request) const {
  std::string allowed;
  for (const Route& route : routes_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.pattern)) continue;
    if (route.method != request.method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    Captures captures;
    for (size_t i = 1; i < match.size(); ++i) captures.push_back(match[i]);
    return route.handler(request, captures);
  }
  if (!allowed.empty()) {
    ApiResponse response =
        error(405, "method " + request.method + " not allowed on " +
                       request.path + "; use " + allowed);
    response.allow = allowed;
    return response;
  }
  return error(404, "no such endpoint: " + request.path +
                        "; see docs/http-api.md for the endpoints");
}

ApiResponse ControlApi::root() const {
  return {200,
          {{"version", RDCONNECT_VERSION},
           {"commit", ""},
           {"librdkafka_version", rd_kafka_version_str()},
           {"worker_id", worker_id_}}};
}

ApiResponse ControlApi::readiness() const {
  json body = readiness_json(registry_.snapshot());
  const int status = body["ready"].get<bool>() ? 200 : 503;
  return {status, std::move(body)};
}

// ?expand=status and ?expand=info give Connect's map of name to
// {"status": ..., "info": ...}; without, the list of names.
ApiResponse ControlApi::connectors(const ApiRequest& request) const {
  const auto expand = request.query.find("expand");
  const std::vector<runtime::ConnectorSnapshot> snapshots =
      registry_.snapshot();
  if (expand == request.query.end()) {
    json names = json::array();
    for (const auto& snapshot : snapshots) names.push_back(snapshot.name);
    return {200, std::move(names)};
  }
  if (expand->second != "status" && expand->second != "info") {
    return error(400, "expand='" + expand->second +
                          "': expected expand=status or expand=info");
  }
  json expanded = json::object();
  for (const auto& snapshot : snapshots) {
    expanded[snapshot.name][expand->second] =
        expand->second == "status" ? status_json(snapshot, worker_id_)
                                   : info_json(snapshot);
  }
  return {200, std::move(expanded)};
}

ApiResponse ControlApi::connector(
    const std::string& name,
    const std::function<json(const runtime::ConnectorSnapshot&)>& body) const {
  const std::optional<runtime::ConnectorSnapshot> snapshot =
      registry_.snapshot(name);
  if (!snapshot) return unknown_connector(name);
  return {200, body(*snapshot)};
}

// Connect answers 202 Accepted: the state changes as the connector's
// threads get to it (within one poll).
ApiResponse ControlApi::set_paused(const std::string& name, bool paused) const {
  if (!registry_.set_paused(name, paused)) return unknown_connector(name);
  return {202, nullptr};
}

// 200 with the difference applied; 400 for a config that did not load
// (nothing changed); 500 when a connector of it could not start.
ApiResponse ControlApi::reload() const {
  const std::optional<runtime::ReloadOutcome> outcome =
      registry_.request_reload(kReloadTimeout);
  if (!outcome) {
    return error(503,
                 "the host did not finish the reload in time (it is "
                 "stopping, or a connector is slow to stop); its log tells "
                 "how the reload went");
  }
  if (!outcome->applied) {
    json body = error_json(400, outcome->error);
    body["config"] = outcome->config;
    return {400, std::move(body)};
  }
  return {outcome->failed.empty() ? 200 : 500, reload_json(*outcome)};
}

// Read from the cluster on each request, as Connect does: an operator
// checking offsets wants them as they are, not as of the last report.
ApiResponse ControlApi::offsets(const std::string& name) const {
  const std::optional<runtime::ConnectorOffsets> offsets =
      registry_.offsets(name);
  if (!offsets) return unknown_connector(name);
  if (!offsets->reading) {
    return error(503, "the Kafka cluster did not answer for the offsets of '" +
                          name + "' in time; ask again");
  }
  return {200, offsets_json(*offsets)};
}

// Connect's parameters. A connector's tasks form one incarnation here, so
// includeTasks does not change what restarts; onlyFailed restarts only a
// FAILED (or RESTARTING) connector. Without either, 204 as Connect; with
// either, 202 and the status.
ApiResponse ControlApi::restart(const ApiRequest& request,
                                const std::string& name) const {
  std::string problem;
  const std::optional<bool> include_tasks =
      flag(request, "includeTasks", problem);
  const std::optional<bool> only_failed = flag(request, "onlyFailed", problem);
  if (!include_tasks || !only_failed) return error(400, problem);
  const std::optional<bool> found = registry_.call<bool>(
      // By value: the request may run after this call gave up waiting.
      [name, only_failed = *only_failed](runtime::ConnectorRegistry& registry) {
        runtime::RegisteredConnector* connector = registry.find(name);
        if (connector == nullptr) return false;
        const std::string_view state =
            connector->supervisor->status().state_label();
        if (!only_failed || state == "FAILED" || state == "RESTARTING") {
          registry.restart(*connector);
        }
        return true;
      },
      kRestartTimeout);
  if (!found) {
    return restart_not_taken();
  }
  if (!*found) return unknown_connector(name);
  if (!*include_tasks && !*only_failed) return {204, nullptr};
  ApiResponse response = connector(name, [this](const auto& snapshot) {
    return status_json(snapshot, worker_id_);
  });
  if (response.status == 200) response.status = 202;
  return response;
}

// Connect answers 204; a task that is not there is a 404, one that cannot
// restart now a 409 saying why.
ApiResponse ControlApi::restart_task(const std::string& name,
                                     const std::string& task_text) const {
  const int task = task_text.size() > 6 ? -1 : std::stoi(task_text);
  // By value: the request may run after this call gave up waiting.
  const std::optional<ApiResponse> answer = registry_.call<ApiResponse>(
      [name, task](runtime::ConnectorRegistry& registry) {
        runtime::RegisteredConnector* connector = registry.find(name);
        if (connector == nullptr) return unknown_connector(name);
        if (task < 0 || task >= connector->tasks()) {
          return error(404, "connector '" + name + "' has no task " +
                                std::to_string(task) + "; its tasks are 0 to " +
                                std::to_string(connector->tasks() - 1));
        }
        if (std::optional<std::string> refused =
                connector->supervisor->restart_task(task)) {
          return error(409, "cannot restart task " + std::to_string(task) +
                                " of '" + name + "': " + *refused);
        }
        return ApiResponse(204, nullptr);
      },
      kRestartTimeout);
  if (!answer) {
    return restart_not_taken();
  }
  return *answer;
}

// Every library the finder sees, loaded and described; one that is
// refused is listed with the reason, so that it hides none of the others.
ApiResponse ControlApi::connector_plugins() const {
  json plugins = json::array();
  for (const auto& file : plugins_.list()) {
    try {
      plugins.push_back(plugin_info_json(*plugin::load_plugin(file)));
    } catch (const plugin::PluginLoadError& refused) {
      plugins.push_back(refused_plugin_json(file, refused.what()));
    }
  }
  return {200, std::move(plugins)};
}

std::shared_ptr<const plugin::LoadedPlugin> ControlApi::load_plugin(
    const std::string& name, std::optional<ApiResponse>& refusal) const {
  std::filesystem::path file;
  try {
    file = plugins_.find(name);
  } catch (const plugin::PluginLoadError& missing) {
    refusal = error(404, missing.what());
    return nullptr;
  }
  try {
    return plugin::load_plugin(file);
  } catch (const plugin::PluginLoadError& refused) {
    refusal = error(409, std::string("plugin '") + name +
                             "' cannot be used: " + refused.what());
    return nullptr;
  }
}

ApiResponse ControlApi::plugin_config(const std::string& name) const {
  std::optional<ApiResponse> refusal;
  const auto loaded = load_plugin(name, refusal);
  if (!loaded) return *refusal;
  return {200, config_definitions_json(loaded->config_map())};
}

// The checks and messages of `rdconnect validate` for a [*.config] table,
// on a JSON object of settings; Connect's answer, 200 whatever it finds.
ApiResponse ControlApi::validate_plugin_config(const ApiRequest& request,
                                               const std::string& name) const {
  std::optional<ApiResponse> refusal;
  const auto loaded = load_plugin(name, refusal);
  if (!loaded) return *refusal;
  std::string problem;
  const std::optional<json> settings =
      parse_settings_body(request.body, problem);
  if (!settings) return error(400, problem);
  return {200, validate_json(name, loaded->config_map(), *settings)};
}

}  // namespace rdconnect::http
