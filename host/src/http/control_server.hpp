// The HTTP server of the control API (cpp-httplib): binds before any
// connector starts, so that a taken port fails the start with a clear
// error; checks the bearer token; hands each request to ControlApi.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "config/host_config.hpp"
#include "http/control_api.hpp"
#include "plugin/plugin_finder.hpp"
#include "runtime/connector_registry.hpp"

namespace httplib {
class Server;
}

namespace rdconnect::http {

class ControlServer {
 public:
  /// Binds `settings.http_listen` (which must be set) and starts serving on
  /// httplib's own threads. Throws Error::fatal when the address cannot be
  /// bound. `registry` outlives the server; `plugins` is where
  /// /connector-plugins looks.
  ControlServer(const config::HostSettings& settings,
                runtime::ConnectorRegistry& registry,
                plugin::PluginFinder plugins);
  /// Stops listening and waits for the requests being answered.
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  /// The bound address, with the port chosen for port 0.
  const std::string& address() const { return address_; }

 private:
  void route_everything();
  bool authorized(const std::string& authorization) const;

  std::string token_;
  std::string address_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<ControlApi> api_;
  std::thread thread_;
};

}  // namespace rdconnect::http
