#include "plugin/loaded_plugin.hpp"

#include <dlfcn.h>

#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "plugin/descriptor_check.hpp"

namespace rdconnect::plugin {
namespace {

// RTLD_LOCAL keeps each plugin's symbols to itself, so two plugins that
// happen to define the same symbol never use each other's; RTLD_NOW makes a
// missing symbol fail here rather than in the middle of a connector.
constexpr auto kLoadMode =
    boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local;

boost::dll::shared_library open_library(const std::filesystem::path& file) {
  std::error_code error;
  boost::dll::shared_library library(file, kLoadMode, error);
  if (error) {
    // Boost reduces every dlopen failure to one error code; dlerror() still
    // holds the loader's explanation (wrong format, missing dependency...).
    const char* reason = dlerror();
    throw PluginLoadError(fmt::format("cannot load plugin library '{}': {}",
                                      file.string(),
                                      reason ? reason : error.message()));
  }
  return library;
}

rdc_plugin_entry_fn find_entry_point(const boost::dll::shared_library& library,
                                     const std::filesystem::path& file) {
  if (!library.has(RDC_PLUGIN_ENTRY_SYMBOL)) {
    throw PluginLoadError(fmt::format(
        "'{}' is not an rdconnect plugin: it does not export {} (build it "
        "with RDCONNECT_SINK_PLUGIN / RDCONNECT_SOURCE_PLUGIN, or export the "
        "C function)",
        file.string(), RDC_PLUGIN_ENTRY_SYMBOL));
  }
  return library.get<const rdc_plugin_descriptor*()>(RDC_PLUGIN_ENTRY_SYMBOL);
}

}  // namespace

LoadedPlugin::LoadedPlugin(boost::dll::shared_library library,
                           const rdc_plugin_descriptor* descriptor,
                           std::filesystem::path file)
    : library_(std::move(library)),
      descriptor_(descriptor),
      file_(std::move(file)) {}

std::shared_ptr<const LoadedPlugin> load_plugin(
    const std::filesystem::path& file) {
  boost::dll::shared_library library = open_library(file);
  const rdc_plugin_descriptor* descriptor = find_entry_point(library, file)();
  check_descriptor(descriptor, file);
  return std::make_shared<const LoadedPlugin>(std::move(library), descriptor,
                                              file);
}

void require_kind(const LoadedPlugin& plugin, rdc_plugin_kind expected,
                  std::string_view section) {
  if (plugin.kind() == expected) return;
  throw PluginLoadError(fmt::format(
      "{} names plugin '{}' ({}), which is a {} plugin; use it in a [[{}]] "
      "section or pick a {} plugin",
      section, plugin.name(), plugin.file().string(), kind_name(plugin.kind()),
      kind_name(plugin.kind()), kind_name(expected)));
}

std::string_view kind_name(rdc_plugin_kind kind) {
  switch (kind) {
    case RDC_KIND_SOURCE:
      return "source";
    case RDC_KIND_SINK:
      return "sink";
  }
  return "unknown";
}

std::string_view config_type_name(rdc_config_type type) {
  switch (type) {
    case RDC_CONFIG_STRING:
      return "string";
    case RDC_CONFIG_INT:
      return "int";
    case RDC_CONFIG_DOUBLE:
      return "double";
    case RDC_CONFIG_BOOL:
      return "bool";
  }
  return "unknown";
}

}  // namespace rdconnect::plugin
