// The plugin's settings from a TOML file whose top-level keys are the
// plugin's config keys (what a connector's [sink.config] table holds),
// checked as the host checks a connector's.
#pragma once

#include <filesystem>
#include <optional>

#include "config/plugin_config.hpp"
#include "plugin/loaded_plugin.hpp"

namespace rdconnect::plugin_test {

/// `file`'s settings (none when nullopt: the defaults) resolved against
/// `plugin`'s config map, ${env:...} and ${file:...} expanded. Throws
/// config::ConfigError with file:line:col as the host gives them.
config::ResolvedPluginConfig resolve_config_file(
    const std::optional<std::filesystem::path>& file,
    const plugin::LoadedPlugin& plugin);

}  // namespace rdconnect::plugin_test
