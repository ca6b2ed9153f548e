// A config whose connectors have their plugins loaded and their plugin
// settings checked: what `validate` reports and what `run` starts.
#pragma once

#include <memory>
#include <vector>

#include "config/host_config.hpp"
#include "config/plugin_config.hpp"
#include "plugin/loaded_plugin.hpp"
#include "plugin/plugin_finder.hpp"

namespace rdconnect::runtime {

struct PreparedSource {
  config::SourceConfig config;
  std::shared_ptr<const plugin::LoadedPlugin> plugin;
  config::ResolvedPluginConfig plugin_config;
};

struct PreparedSink {
  config::SinkConfig config;
  std::shared_ptr<const plugin::LoadedPlugin> plugin;
  config::ResolvedPluginConfig plugin_config;
};

struct ConnectorPlan {
  config::HostConfig config;
  std::vector<PreparedSource> sources;
  std::vector<PreparedSink> sinks;
};

/// Load every plugin the config names (each library once) and check each
/// connector's settings against its plugin's config map. Throws
/// plugin::PluginLoadError for a missing or refused plugin, or
/// config::ConfigError listing every settings problem of every connector.
ConnectorPlan prepare_plan(config::HostConfig config,
                           const plugin::PluginFinder& finder);

}  // namespace rdconnect::runtime
