// Where plugins are looked up by name.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdconnect::plugin {

/// Searches an ordered list of directories for NAME.so.
class PluginFinder {
 public:
  explicit PluginFinder(std::vector<std::filesystem::path> directories);

  /// The documented order: each entry of `cli_path` (':'-separated, from
  /// --plugin-path), then of RDCONNECT_PLUGIN_PATH, then
  /// <directory of the running binary>/../plugins.
  static PluginFinder from_environment(
      const std::optional<std::string>& cli_path);

  /// The first NAME.so in search order. Throws PluginLoadError listing the
  /// directories searched and the plugins found there.
  std::filesystem::path find(std::string_view name) const;

  /// Every *.so in search order, first occurrence of each name only.
  std::vector<std::filesystem::path> list() const;

  const std::vector<std::filesystem::path>& directories() const {
    return directories_;
  }

 private:
  std::vector<std::filesystem::path> directories_;
};

}  // namespace rdconnect::plugin
