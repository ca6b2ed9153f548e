// A plugin library that has been loaded and whose descriptor passed checks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <rdconnect/plugin.h>
#include <boost/dll/shared_library.hpp>

#include "plugin/file_identity.hpp"

namespace rdconnect::plugin {

/// Why a library was refused; what() names the file and the reason.
class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Keeps the library mapped for as long as any instance of its plugin may
/// run: hold the shared_ptr for the lifetime of every instance.
class LoadedPlugin {
 public:
  LoadedPlugin(boost::dll::shared_library library,
               const rdc_plugin_descriptor* descriptor,
               std::filesystem::path file, FileIdentity identity);

  const std::filesystem::path& file() const { return file_; }
  /// The file as it was when loaded: a reload compares it with the file
  /// now at file() to tell a plugin installed anew.
  const FileIdentity& identity() const { return identity_; }
  std::string_view name() const { return descriptor_->name; }
  std::string_view version() const { return descriptor_->version; }
  std::string_view description() const { return descriptor_->description; }
  rdc_plugin_kind kind() const { return descriptor_->kind; }
  /// The ABI version the plugin was built against.
  uint16_t abi_major() const { return descriptor_->abi_major; }
  uint16_t abi_minor() const { return descriptor_->abi_minor; }
  /// In this host's rdc_config_entry layout, whatever minor the plugin was
  /// built against (see read_config_map).
  std::span<const rdc_config_entry> config_map() const { return config_map_; }
  /// Only valid for kind() == RDC_KIND_SINK. In this host's layout (see
  /// read_sink_api): open and close may be NULL, meaning their default.
  const rdc_sink_api& sink() const { return sink_; }
  /// Only valid for kind() == RDC_KIND_SOURCE; ack may be NULL.
  const rdc_source_api& source() const { return source_; }
  /// The plugin's connection check, or NULL when it has none (or was built
  /// against ABI 1.0 or 1.1, whose descriptor ends before it).
  using ConnectionCheck = decltype(rdc_plugin_descriptor::check_connection);
  ConnectionCheck check_connection() const;

 private:
  boost::dll::shared_library library_;
  const rdc_plugin_descriptor* descriptor_;
  std::vector<rdc_config_entry> config_map_;
  rdc_sink_api sink_{};
  rdc_source_api source_{};
  std::filesystem::path file_;
  FileIdentity identity_;
};

/// Load `file`, call its entry point and check the descriptor (entry point
/// present, ABI major spoken by this host, known struct size, name and kind
/// set, function table complete, config map well-formed). Throws
/// PluginLoadError naming the file and the reason.
std::shared_ptr<const LoadedPlugin> load_plugin(
    const std::filesystem::path& file);

/// Throws PluginLoadError unless `plugin` is of `expected` kind; `section`
/// ("[[source]] 'uuids'") says where it was asked for.
void require_kind(const LoadedPlugin& plugin, rdc_plugin_kind expected,
                  std::string_view section);

/// "source" / "sink".
std::string_view kind_name(rdc_plugin_kind kind);

/// "string" / "int" / "double" / "bool".
std::string_view config_type_name(rdc_config_type type);

}  // namespace rdconnect::plugin
