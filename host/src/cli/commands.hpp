// The commands behind the command line; each returns an exit code.
#pragma once

#include <optional>
#include <string>

namespace rdconnect::cli {

struct RunArguments {
  std::string config_path;
  std::optional<std::string> plugin_path;
  bool until_caught_up = false;
  /// Over [host] http_listen.
  std::optional<std::string> http_listen;
};

int run_command(const RunArguments& arguments);

/// Parse the config, load the plugins, check every connector's settings and
/// print what would run (secrets masked). With `connect`, also check that
/// each connector's brokers answer (exit 1 when some do not).
int validate_command(const std::string& config_path,
                     const std::optional<std::string>& plugin_path,
                     bool connect = false);

/// List the plugins found, or describe one.
int plugins_command(const std::optional<std::string>& describe,
                    const std::optional<std::string>& plugin_path);

}  // namespace rdconnect::cli
