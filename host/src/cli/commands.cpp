#include "cli/commands.hpp"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "cli/cli.hpp"
#include "cli/connection_check.hpp"
#include "cli/signal_watcher.hpp"
#include "common/error.hpp"
#include "config/host_config.hpp"
#include "http/control_server.hpp"
#include "plugin/describe.hpp"
#include "plugin/loaded_plugin.hpp"
#include "plugin/plugin_finder.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_runtime.hpp"

namespace rdconnect::cli {
namespace {

// Config and plugin problems are the operator's to fix: exit code 2.
// Anything else that stops the host is a runtime failure: exit code 1.
template <typename Command>
int with_error_handling(Command command) {
  try {
    return command();
  } catch (const config::ConfigError& error) {
    std::cerr << "rdconnect: invalid configuration:\n" << error.what() << "\n";
    return kExitBadUsage;
  } catch (const plugin::PluginLoadError& error) {
    std::cerr << "rdconnect: " << error.what() << "\n";
    return kExitBadUsage;
  } catch (const std::exception& error) {
    spdlog::error("{}", error.what());
    return kExitRuntimeFailure;
  }
}

// Until connectors run there is nothing to flush, and reading a config or
// loading a plugin can block for good (a FIFO nobody writes, a hung mount):
// a stop signal then ends the command at once.
[[noreturn]] void exit_at_once(int signal) {
  spdlog::warn("{} received: stopping at once (nothing to flush yet)",
               strsignal(signal));
  std::_Exit(kExitSignalBase + signal);
}

// --http-listen replaces [host] http_listen, under the same checks.
void apply_http_listen(const std::optional<std::string>& option,
                       config::HostSettings& host) {
  if (!option) return;
  host.http_listen = config::parse_listen_address(*option);
  if (!host.http_listen) {
    throw config::ConfigError({{{"command line"},
                                "--http-listen '" + *option +
                                    "': expected IP:PORT, e.g. "
                                    "127.0.0.1:8083 or [::1]:0"}});
  }
  if (std::optional<std::string> problem =
          config::http_exposure_problem(host)) {
    throw config::ConfigError(
        {{{"command line"}, "--http-listen: " + *problem}});
  }
}

runtime::ConnectorPlan load_plan(const std::string& config_path,
                                 const plugin::PluginFinder& finder) {
  SignalWatcher signals(exit_at_once);
  config::HostConfig config = config::load_host_config(config_path);
  return runtime::prepare_plan(std::move(config), finder);
}

void print_connector(const char* kind, const std::string& name,
                     const plugin::LoadedPlugin& plugin,
                     const config::ResolvedPluginConfig& settings) {
  std::cout << fmt::format("{} '{}': plugin {} {} ({})\n", kind, name,
                           plugin.name(), plugin.version(),
                           plugin.file().string());
  std::string display = settings.to_display_string();
  size_t start = 0;
  while (start < display.size()) {
    size_t end = display.find('\n', start);
    if (end == std::string::npos) end = display.size();
    std::cout << "    " << display.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

}  // namespace

int run_command(const RunArguments& arguments) {
  return with_error_handling([&] {
    // One finder for the plan and for the API's /connector-plugins.
    const plugin::PluginFinder finder =
        plugin::PluginFinder::from_environment(arguments.plugin_path);
    runtime::ConnectorPlan plan = load_plan(arguments.config_path, finder);
    apply_http_listen(arguments.http_listen, plan.config.host);
    const config::HostSettings host = plan.config.host;
    // A reload reads the same file through the same finder, with the same
    // command-line overrides, on the run loop (a signal there is handled
    // by the watcher below, not by exit_at_once).
    const auto reload_plan = [&arguments, &finder] {
      runtime::ConnectorPlan next = runtime::prepare_plan(
          config::load_host_config(arguments.config_path), finder);
      apply_http_listen(arguments.http_listen, next.config.host);
      return next;
    };
    runtime::ConnectorRuntime runtime(
        std::move(plan), {.until_caught_up = arguments.until_caught_up,
                          .load_config = reload_plan});
    // After the runtime, so that it stops answering before the registry
    // it reads goes away.
    std::optional<http::ControlServer> control;
    if (host.http_listen) control.emplace(host, runtime.registry(), finder);
    SignalWatcher signals(
        [&runtime](int signal) {
          spdlog::info("{} received: stopping (flushing sources and sinks)",
                       strsignal(signal));
          runtime.request_stop();
        },
        [&runtime] { runtime.request_reload(); });
    return runtime.run();
  });
}

int validate_command(const std::string& config_path,
                     const std::optional<std::string>& plugin_path,
                     bool connect) {
  return with_error_handling([&] {
    const runtime::ConnectorPlan plan = load_plan(
        config_path, plugin::PluginFinder::from_environment(plugin_path));
    for (const auto& source : plan.sources) {
      print_connector("source", source.config.name, *source.plugin,
                      source.plugin_config);
    }
    for (const auto& sink : plan.sinks) {
      print_connector("sink", sink.config.name, *sink.plugin,
                      sink.plugin_config);
    }
    std::cout << config_path << ": OK (" << plan.sources.size()
              << " source(s), " << plan.sinks.size() << " sink(s))\n";
    if (!connect) return static_cast<int>(kExitOk);
    std::cout << "connections (each cluster has " << kConnectTimeout.count()
              << " s to answer):\n";
    // Nothing to flush while the clusters are asked: a stop ends it at once.
    SignalWatcher signals(exit_at_once);
    const int unreachable = check_connections(plan, std::cout);
    std::cout.flush();
    if (unreachable == 0) return static_cast<int>(kExitOk);
    std::cerr << "rdconnect: connection check failed: " << unreachable
              << " connector(s) cannot reach their brokers or their "
                 "target (the config itself is valid)\n";
    return static_cast<int>(kExitRuntimeFailure);
  });
}

int plugins_command(const std::optional<std::string>& describe,
                    const std::optional<std::string>& plugin_path) {
  return with_error_handling([&] {
    SignalWatcher signals(exit_at_once);
    const plugin::PluginFinder finder =
        plugin::PluginFinder::from_environment(plugin_path);
    if (describe) {
      std::cout << plugin::describe_plugin(
          *plugin::load_plugin(finder.find(*describe)));
      return static_cast<int>(kExitOk);
    }
    int refused = 0;
    for (const auto& file : finder.list()) {
      try {
        std::cout << plugin::plugin_summary_line(*plugin::load_plugin(file))
                  << "\n";
      } catch (const plugin::PluginLoadError& error) {
        // One broken library must not hide the others.
        std::cerr << "refused: " << error.what() << "\n";
        ++refused;
      }
    }
    return refused == 0 ? static_cast<int>(kExitOk)
                        : static_cast<int>(kExitRuntimeFailure);
  });
}

}  // namespace rdconnect::cli
