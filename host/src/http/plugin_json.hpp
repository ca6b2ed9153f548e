// The bodies of the /connector-plugins endpoints: what a plugin is, its
// config map, and the check of a JSON object of settings against it, in
// Kafka Connect's shapes. Transport-free, and free of loading, so that the
// tests can feed it a config map of their own.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rdconnect/plugin.h>
#include <toml++/toml.h>
#include <nlohmann/json.hpp>

#include "config/plugin_config.hpp"
#include "plugin/loaded_plugin.hpp"

namespace rdconnect::http {

/// Connect's name of an entry's type: STRING, LONG (int64), DOUBLE,
/// BOOLEAN; PASSWORD for a secret string, as Connect types its secrets.
std::string_view connect_type_name(const rdc_config_entry& entry);

/// One element of GET /connector-plugins: Connect's {"class", "type",
/// "version"} (class: the plugin's name), plus "file", "description" and
/// "abi" ("1.1").
nlohmann::json plugin_info_json(const plugin::LoadedPlugin& plugin);

/// The element for a library that was refused: {"class": file stem,
/// "file", "refused": reason}.
nlohmann::json refused_plugin_json(const std::filesystem::path& file,
                                   const std::string& reason);

/// Connect's definition of one config key ({"name", "type", "required",
/// "default_value", "documentation", "display_name", "dependents",
/// "order"}) plus "secret", "choices", "min_value", "max_value" and
/// "non_empty". A secret's default is "********".
nlohmann::json config_definition_json(const rdc_config_entry& entry, int order);

/// GET /connector-plugins/{plugin}/config: one definition per key, in
/// config-map order.
nlohmann::json config_definitions_json(
    std::span<const rdc_config_entry> config_map);

/// A JSON object of settings as the [*.config] table it stands for.
struct JsonSettings {
  toml::table table;
  /// Values TOML cannot hold (null, an integer past int64, a string with a
  /// NUL); their keys are left out of `table`.
  std::vector<config::PluginConfigProblem> problems;
};

/// Each member of `object` (which must be an object) as a TOML value of
/// the matching type: string, integer (int64), floating point, boolean;
/// arrays and objects as TOML arrays and tables, so that the check reports
/// them as it does for a config file. `plugin` names the plugin in messages.
JsonSettings settings_from_json(const nlohmann::json& object,
                                std::string_view plugin);

/// The request body of PUT .../config/validate as a JSON object, or
/// nullopt with `problem` saying why it is not one (the parser's message
/// and position, without the text it last read: that may be a secret).
std::optional<nlohmann::json> parse_settings_body(const std::string& body,
                                                  std::string& problem);

/// The answer of PUT /connector-plugins/{plugin}/config/validate:
/// {"name", "error_count", "groups": [], "configs": [{"definition",
/// "value": {"name", "value", "recommended_values", "errors", "visible"}}]},
/// checked by config::check_plugin_config with the messages `rdconnect
/// validate` prints (without file:line:col). Secret values are
/// "********"; a key the plugin does not know comes last, with a
/// definition of type null and its value not shown.
nlohmann::json validate_json(std::string_view plugin,
                             std::span<const rdc_config_entry> config_map,
                             const nlohmann::json& settings);

}  // namespace rdconnect::http
