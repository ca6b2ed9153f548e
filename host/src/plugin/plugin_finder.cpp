#include "plugin/plugin_finder.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/dll/runtime_symbol_info.hpp>

#include "common/nearest_name.hpp"
#include "plugin/loaded_plugin.hpp"

namespace rdconnect::plugin {
namespace {

constexpr std::string_view kPluginExtension = ".so";

void append_path_list(std::string_view list,
                      std::vector<std::filesystem::path>& directories) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t colon = std::min(list.find(':', start), list.size());
    std::string_view entry = list.substr(start, colon - start);
    if (!entry.empty()) directories.emplace_back(entry);
    start = colon + 1;
  }
}

// A name becomes a file name, so it must not reach outside the directory
// (a '/') or name a hidden file or a relative directory ('.', '..').
void check_plugin_name(std::string_view name) {
  if (name.empty() || name.find('/') != std::string_view::npos ||
      name.front() == '.') {
    throw PluginLoadError(fmt::format(
        "invalid plugin name '{}': a plugin is named by its file name without "
        "{}, which must be non-empty, contain no '/' and not start with '.'",
        name, kPluginExtension));
  }
}

bool is_plugin_file(const std::filesystem::path& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error);
}

// The plugin files directly in `directory`, sorted by name; none when the
// directory does not exist or cannot be read.
std::vector<std::filesystem::path> plugin_files_in(
    const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (std::filesystem::directory_iterator it(directory, error), end;
       !error && it != end; it.increment(error)) {
    const std::filesystem::path& path = it->path();
    if (path.extension() == kPluginExtension && is_plugin_file(path)) {
      files.push_back(path);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string join_or(const std::vector<std::string>& items,
                    std::string_view when_empty) {
  if (items.empty()) return std::string(when_empty);
  return fmt::format("{}", fmt::join(items, ", "));
}

std::string describe_directory(const std::filesystem::path& directory) {
  std::error_code error;
  if (std::filesystem::is_directory(directory, error))
    return directory.string();
  return directory.string() + " (does not exist)";
}

}  // namespace

PluginFinder::PluginFinder(std::vector<std::filesystem::path> directories)
    : directories_(std::move(directories)) {}

PluginFinder PluginFinder::from_environment(
    const std::optional<std::string>& cli_path) {
  std::vector<std::filesystem::path> directories;
  if (cli_path) append_path_list(*cli_path, directories);
  if (const char* env_path = std::getenv("RDCONNECT_PLUGIN_PATH")) {
    append_path_list(env_path, directories);
  }
  // Beside the binary: a build tree's plugins/, then an installed prefix's
  // lib/rdconnect/plugins/ (where `cmake --install` puts them).
  const std::filesystem::path prefix =
      boost::dll::program_location().parent_path() / "..";
  directories.push_back((prefix / "plugins").lexically_normal());
  directories.push_back(
      (prefix / "lib" / "rdconnect" / "plugins").lexically_normal());
  return PluginFinder(std::move(directories));
}

std::filesystem::path PluginFinder::find(std::string_view name) const {
  check_plugin_name(name);
  const std::string file_name =
      std::string(name) + std::string(kPluginExtension);
  for (const std::filesystem::path& directory : directories_) {
    std::filesystem::path candidate = directory / file_name;
    if (is_plugin_file(candidate)) return candidate;
  }

  std::vector<std::string> searched;
  for (const std::filesystem::path& directory : directories_) {
    searched.push_back(describe_directory(directory));
  }
  std::vector<std::string> found;
  for (const std::filesystem::path& file : list()) {
    found.push_back(file.stem().string());
  }
  throw PluginLoadError(fmt::format(
      "no plugin named '{}'{}. Searched: {}. Plugins found: {}. Set "
      "--plugin-path or RDCONNECT_PLUGIN_PATH to the directory holding {}.",
      name, did_you_mean(name, found), join_or(searched, "no directories"),
      join_or(found, "none"), file_name));
}

std::vector<std::filesystem::path> PluginFinder::list() const {
  std::vector<std::filesystem::path> plugins;
  std::set<std::string> names;
  for (const std::filesystem::path& directory : directories_) {
    for (std::filesystem::path& file : plugin_files_in(directory)) {
      if (names.insert(file.stem().string()).second) {
        plugins.push_back(std::move(file));
      }
    }
  }
  return plugins;
}

}  // namespace rdconnect::plugin
