#include "plugin_test/plugin_config_file.hpp"

#include "config/env_expand.hpp"
#include "config/toml_reader.hpp"

namespace rdconnect::plugin_test {

config::ResolvedPluginConfig resolve_config_file(
    const std::optional<std::filesystem::path>& file,
    const plugin::LoadedPlugin& plugin) {
  config::PluginSettings settings;
  settings.plugin = std::string(plugin.name());
  if (!file) {
    // A missing required key is reported against the option to add.
    settings.location = {"(no --config file)"};
    return config::resolve_plugin_config(settings, plugin.config_map());
  }
  const std::string name = file->string();
  toml::table document =
      config::parse_toml(config::read_config_file(*file), name);
  config::TomlReader reader(name, config::lookup_process_env);
  settings.keys_from_files = reader.expand_strings_in_place(document, "");
  reader.throw_if_problems();
  settings.location = reader.location_of(document.source());
  settings.table = std::move(document);
  return config::resolve_plugin_config(settings, plugin.config_map());
}

}  // namespace rdconnect::plugin_test
