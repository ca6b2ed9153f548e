#include "plugin/loaded_plugin.hpp"

#include <dlfcn.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "plugin/config_map.hpp"
#include "plugin/descriptor_check.hpp"
#include "plugin/elf_check.hpp"
#include "plugin/function_table.hpp"
#include "plugin/library_alias.hpp"

namespace rdconnect::plugin {
namespace {

// RTLD_LOCAL keeps each plugin's symbols to itself, so two plugins that
// happen to define the same symbol never use each other's; RTLD_NOW makes a
// missing symbol fail here rather than in the middle of a connector.
// RTLD_NODELETE keeps a library mapped once loaded, as PostgreSQL never
// unloads a module: a plugin's libraries (libpq's TLS users among them) may
// still be referred to by thread-local storage, atexit handlers or threads
// of theirs after the last handle goes, and unmapping them at exit only
// risks that (LeakSanitizer read a freed TLS block of one and crashed).
constexpr auto kLoadMode =
    boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
    static_cast<boost::dll::load_mode::type>(RTLD_NODELETE);

[[noreturn]] void refuse_file(const std::filesystem::path& file,
                              const std::string& reason) {
  throw PluginLoadError(fmt::format("cannot load plugin library '{}': {}",
                                    file.string(), reason));
}

std::vector<std::byte> read_library(const std::filesystem::path& file) {
  const auto fail = [&file](int error) {
    refuse_file(file, fmt::format("cannot read it: {}",
                                  std::generic_category().message(error)));
  };
  std::unique_ptr<std::FILE, decltype(&std::fclose)> stream(
      std::fopen(file.c_str(), "rb"), &std::fclose);
  if (stream == nullptr) fail(errno);
  std::vector<std::byte> bytes;
  std::byte buffer[64 * 1024];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, stream.get())) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + count);
  }
  if (std::ferror(stream.get())) fail(errno);
  return bytes;
}

// dlopen() maps a damaged library as its headers describe it, and the first
// touch of a page past the end of the file kills the host with SIGBUS; so
// the headers are checked against the file first.
void check_library_file(const std::filesystem::path& file) {
  if (std::optional<std::string> problem = elf_problem(read_library(file))) {
    refuse_file(file, *problem + "; rebuild or reinstall the plugin");
  }
}

boost::dll::shared_library open_library(const std::filesystem::path& file,
                                        const FileIdentity& identity) {
  check_library_file(file);
  const LibraryAlias alias(file, identity);
  std::error_code error;
  boost::dll::shared_library library(alias.path(), kLoadMode, error);
  if (error) {
    // Boost reduces every dlopen failure to one error code; dlerror() still
    // holds the loader's explanation (wrong format, missing dependency...).
    const char* reason = dlerror();
    refuse_file(file, reason ? reason : error.message());
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

LoadedPlugin::ConnectionCheck LoadedPlugin::check_connection() const {
  if (descriptor_->struct_size <
      kDescriptorSizeV1_1 + sizeof(descriptor_->check_connection)) {
    return nullptr;
  }
  return descriptor_->check_connection;
}

LoadedPlugin::LoadedPlugin(boost::dll::shared_library library,
                           const rdc_plugin_descriptor* descriptor,
                           std::filesystem::path file, FileIdentity identity)
    : library_(std::move(library)),
      descriptor_(descriptor),
      config_map_(read_config_map(*descriptor)),
      file_(std::move(file)),
      identity_(identity) {
  if (descriptor->kind == RDC_KIND_SINK) sink_ = read_sink_api(*descriptor);
  if (descriptor->kind == RDC_KIND_SOURCE) {
    source_ = read_source_api(*descriptor);
  }
}

std::shared_ptr<const LoadedPlugin> load_plugin(
    const std::filesystem::path& file) {
  const std::optional<FileIdentity> identity = identify(file);
  if (!identity) {
    refuse_file(file, fmt::format("cannot read it: {}",
                                  std::generic_category().message(errno)));
  }
  boost::dll::shared_library library = open_library(file, *identity);
  const rdc_plugin_descriptor* descriptor = find_entry_point(library, file)();
  check_descriptor(descriptor, file);
  return std::make_shared<const LoadedPlugin>(std::move(library), descriptor,
                                              file, *identity);
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
