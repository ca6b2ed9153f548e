// The checks a plugin's descriptor must pass before the host trusts it.
#pragma once

#include <filesystem>

#include <rdconnect/plugin.h>

namespace rdconnect::plugin {

/// Check what rdc_plugin_entry() of `file` returned, in the order of the
/// loading protocol in plugin.h: not NULL, ABI major, struct size and config
/// entry size, name, version, description, kind, function table, config map
/// (types, choices, ranges, defaults), and finally that the name matches the
/// file name. Throws PluginLoadError naming `file`, what is wrong and what
/// the plugin author should do about it.
void check_descriptor(const rdc_plugin_descriptor* descriptor,
                      const std::filesystem::path& file);

}  // namespace rdconnect::plugin
