// The routes of the HTTP control API and what each answers, from the
// connector registry. Transport-free: ControlServer feeds it requests.
#pragma once

#include <functional>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "plugin/loaded_plugin.hpp"
#include "plugin/plugin_finder.hpp"
#include "runtime/connector_registry.hpp"

namespace rdconnect::http {

struct ApiRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::string body;
};

struct ApiResponse {
  ApiResponse(int status, nlohmann::json body)
      : status(status), body(std::move(body)) {}

  int status;
  /// Written as the body unless null (204).
  nlohmann::json body;
  /// Allow header of a 405.
  std::string allow;
  /// A body that is not JSON (the metrics), sent instead of `body` when
  /// set, with its content type.
  std::string text;
  std::string content_type;
};

class ControlApi {
 public:
  /// `registry` outlives this object; `worker_id` is what status bodies
  /// call this host ("127.0.0.1:8083", as Connect's worker id); `plugins`
  /// is where /connector-plugins looks (the finder `run` loaded from).
  ControlApi(runtime::ConnectorRegistry& registry, std::string worker_id,
             plugin::PluginFinder plugins = plugin::PluginFinder({}));

  /// Any thread, concurrently. Never throws: a failure is a 500 body.
  ApiResponse handle(const ApiRequest& request) const;

 private:
  using Captures = std::vector<std::string>;
  using Handler =
      std::function<ApiResponse(const ApiRequest&, const Captures&)>;
  struct Route {
    std::string method;
    std::regex pattern;
    Handler handler;
  };

  void add(std::string method, const std::string& pattern, Handler handler);
  ApiResponse dispatch(const ApiRequest& request) const;

  ApiResponse root() const;
  ApiResponse readiness() const;
  ApiResponse connectors(const ApiRequest& request) const;
  ApiResponse connector(
      const std::string& name,
      const std::function<nlohmann::json(const runtime::ConnectorSnapshot&)>&
          body) const;
  ApiResponse set_paused(const std::string& name, bool paused) const;
  ApiResponse offsets(const std::string& name) const;
  ApiResponse reload() const;
  ApiResponse restart(const ApiRequest& request, const std::string& name) const;
  ApiResponse connector_plugins() const;
  /// The plugin named `name`, or nullptr with `refusal` set: 404 when
  /// there is no such plugin, 409 when its library is refused.
  std::shared_ptr<const plugin::LoadedPlugin> load_plugin(
      const std::string& name, std::optional<ApiResponse>& refusal) const;
  ApiResponse plugin_config(const std::string& name) const;
  ApiResponse validate_plugin_config(const ApiRequest& request,
                                     const std::string& name) const;
  ApiResponse restart_task(const std::string& name,
                           const std::string& task_text) const;

  runtime::ConnectorRegistry& registry_;
  std::string worker_id_;
  plugin::PluginFinder plugins_;
  std::vector<Route> routes_;
};

}  // namespace rdconnect::http
