// What `rdconnect plugins` prints about a plugin.
#pragma once

#include <string>

#include "plugin/loaded_plugin.hpp"

namespace rdconnect::plugin {

/// The text of `rdconnect plugins --describe NAME`: name, kind, version,
/// file, description and ABI version, then one aligned row per config key
/// with its type, default ("required" when it must be given), whether it is
/// secret, its choices and its doc. The default of a secret key is not shown.
/// Ends with a newline.
std::string describe_plugin(const LoadedPlugin& plugin);

/// One line for `rdconnect plugins`: name, kind, version and description,
/// in columns wide enough for typical names. No trailing newline.
std::string plugin_summary_line(const LoadedPlugin& plugin);

}  // namespace rdconnect::plugin
