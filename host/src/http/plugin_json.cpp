#include "http/plugin_json.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace rdconnect::http {
namespace {

using nlohmann::json;

// Where the check reports a problem that has no line: the settings did not
// come from a file.
constexpr const char* kRequestBody = "request body";

json text_or_null(const char* text) {
  return text == nullptr ? json(nullptr) : json(text);
}

json choices_json(const rdc_config_entry& entry) {
  json choices = json::array();
  if (entry.type == RDC_CONFIG_STRING && entry.choices != nullptr) {
    for (std::string_view choice : config::split_choices(entry.choices)) {
      choices.push_back(choice);
    }
  }
  return choices;
}

using TomlValue =
    std::variant<std::string, int64_t, double, bool, toml::array, toml::table>;

// `value` as a TOML value, or nullopt with `why` set when TOML cannot hold
// it. `why` never quotes the value: it may be a secret.
std::optional<TomlValue> to_toml(const json& value, std::string& why) {
  switch (value.type()) {
    case json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      // As the config reader: a NUL would cut the value short in C.
      if (const size_t nul = text.find('\0'); nul != std::string::npos) {
        why = fmt::format(
            "contains a NUL character (\\u0000) at character {}, which would "
            "cut the value short; remove it",
            nul + 1);
        return std::nullopt;
      }
      return text;
    }
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::number_integer:
      return value.get<int64_t>();
    case json::value_t::number_unsigned: {
      const auto number = value.get<uint64_t>();
      if (number > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        why =
            "the number does not fit a 64-bit integer (at most "
            "9223372036854775807)";
        return std::nullopt;
      }
      return static_cast<int64_t>(number);
    }
    case json::value_t::number_float:
      return value.get<double>();
    case json::value_t::array: {
      toml::array array;
      for (const json& element : value) {
        std::optional<TomlValue> converted = to_toml(element, why);
        if (!converted) return std::nullopt;
        std::visit([&](auto&& item) { array.push_back(std::move(item)); },
                   std::move(*converted));
      }
      return array;
    }
    case json::value_t::object: {
      toml::table table;
      for (const auto& [key, member] : value.items()) {
        std::optional<TomlValue> converted = to_toml(member, why);
        if (!converted) return std::nullopt;
        std::visit(
            [&](auto&& item) { table.insert_or_assign(key, std::move(item)); },
            std::move(*converted));
      }
      return table;
    }
    case json::value_t::null:
      why =
          "null is not a value (TOML has no null); leave the key out to use "
          "its default";
      return std::nullopt;
    default:
      why = "not a JSON value a setting can have";
      return std::nullopt;
  }
}

std::string_view with_article(json::value_t type) {
  switch (type) {
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::null:
      return "null";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    default:
      return "something else";
  }
}

// nlohmann's message without its exception id and without "last read:
// '...'", which quotes the body (a secret, as likely as not).
std::string parse_error_message(const std::string& what) {
  std::string message = what;
  if (message.starts_with("[json.exception.")) {
    const size_t end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  constexpr std::string_view kLastRead = "; last read: '";
  const size_t last_read = message.find(kLastRead);
  if (last_read != std::string::npos) {
    constexpr std::string_view kExpected = "'; expected ";
    const size_t expected = message.rfind(kExpected);
    if (expected != std::string::npos && expected >= last_read) {
      message.erase(last_read, expected + 1 - last_read);
    } else {
      message.erase(last_read);
    }
  }
  return message;
}

// The text of a given value as Connect shows one: a string as it is,
// anything else as JSON.
std::string shown_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::string_view connect_type_name(const rdc_config_entry& entry) {
  switch (entry.type) {
    case RDC_CONFIG_STRING:
      return entry.secret != 0 ? "PASSWORD" : "STRING";
    case RDC_CONFIG_INT:
      return "LONG";
    case RDC_CONFIG_DOUBLE:
      return "DOUBLE";
    case RDC_CONFIG_BOOL:
      return "BOOLEAN";
  }
  return "STRING";
}

json plugin_info_json(const plugin::LoadedPlugin& plugin) {
  return {
      {"class", plugin.name()},
      {"type", plugin::kind_name(plugin.kind())},
      {"version", plugin.version()},
      {"file", plugin.file().string()},
      {"description", plugin.description()},
      {"abi", fmt::format("{}.{}", plugin.abi_major(), plugin.abi_minor())}};
}

json refused_plugin_json(const std::filesystem::path& file,
                         const std::string& reason) {
  return {{"class", file.stem().string()},
          {"file", file.string()},
          {"refused", reason}};
}

// A default or an example baked into a plugin can still be a credential.
json declared_value(const rdc_config_entry& entry, const char* value) {
  if (value == nullptr) return nullptr;
  return entry.secret != 0 ? json(config::kSecretMask) : json(value);
}

json config_definition_json(const rdc_config_entry& entry, int order) {
  json default_value = entry.required == 0
                           ? declared_value(entry, entry.default_value)
                           : json(nullptr);
  return {{"name", entry.key},
          {"type", connect_type_name(entry)},
          {"required", entry.required != 0},
          {"default_value", std::move(default_value)},
          {"documentation", entry.doc == nullptr ? "" : entry.doc},
          {"display_name", entry.key},
          {"dependents", json::array()},
          {"order", order},
          {"secret", entry.secret != 0},
          {"choices", choices_json(entry)},
          {"min_value", text_or_null(entry.min_value)},
          {"max_value", text_or_null(entry.max_value)},
          {"non_empty", entry.non_empty != 0},
          {"example", declared_value(entry, entry.example)}};
}

json config_definitions_json(std::span<const rdc_config_entry> config_map) {
  json definitions = json::array();
  int order = 0;
  for (const rdc_config_entry& entry : config_map) {
    definitions.push_back(config_definition_json(entry, ++order));
  }
  return definitions;
}

JsonSettings settings_from_json(const json& object, std::string_view plugin) {
  JsonSettings settings;
  for (const auto& [key, value] : object.items()) {
    std::string why;
    std::optional<TomlValue> converted = to_toml(value, why);
    if (!converted) {
      settings.problems.push_back(
          {key,
           {{kRequestBody},
            fmt::format("key '{}' for plugin '{}': {}", key, plugin, why)}});
      continue;
    }
    std::visit(
        [&](auto&& item) {
          settings.table.insert_or_assign(key, std::move(item));
        },
        std::move(*converted));
  }
  return settings;
}

std::optional<json> parse_settings_body(const std::string& body,
                                        std::string& problem) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    problem =
        "the request body is empty; send a JSON object of the plugin's "
        "settings, e.g. {\"format\": \"json\"}";
    return std::nullopt;
  }
  json parsed;
  try {
    parsed = json::parse(body);
  } catch (const json::parse_error& error) {
    problem = "the request body is not valid JSON: " +
              parse_error_message(error.what());
    return std::nullopt;
  }
  if (!parsed.is_object()) {
    problem = fmt::format(
        "the request body is {}; send a JSON object of the plugin's settings, "
        "e.g. {{\"format\": \"json\"}}",
        with_article(parsed.type()));
    return std::nullopt;
  }
  return parsed;
}

json validate_json(std::string_view plugin,
                   std::span<const rdc_config_entry> config_map,
                   const json& settings) {
  JsonSettings converted = settings_from_json(settings, plugin);
  config::PluginSettings plugin_settings;
  plugin_settings.plugin = std::string(plugin);
  plugin_settings.table = std::move(converted.table);
  plugin_settings.location = {kRequestBody};
  config::PluginConfigCheck checked =
      config::check_plugin_config(plugin_settings, config_map);

  std::vector<config::PluginConfigProblem> problems =
      std::move(converted.problems);
  problems.insert(problems.end(),
                  std::make_move_iterator(checked.problems.begin()),
                  std::make_move_iterator(checked.problems.end()));
  std::map<std::string, json> errors;
  for (const config::PluginConfigProblem& problem : problems) {
    errors[problem.key].push_back(problem.problem.message);
  }
  std::map<std::string, std::string> resolved;
  for (const auto& entry : checked.resolved.masked_entries()) {
    resolved[entry.key] = entry.value;
  }

  json configs = json::array();
  const auto add = [&](const std::string& key, json definition, json value) {
    const auto found = errors.find(key);
    json key_errors = found == errors.end() ? json::array() : found->second;
    if (found != errors.end()) errors.erase(found);
    json recommended = definition["choices"].is_array() ? definition["choices"]
                                                        : json::array();
    configs.push_back({{"definition", std::move(definition)},
                       {"value",
                        {{"name", key},
                         {"value", std::move(value)},
                         {"recommended_values", std::move(recommended)},
                         {"errors", std::move(key_errors)},
                         {"visible", true}}}});
  };
  int order = 0;
  for (const rdc_config_entry& entry : config_map) {
    const std::string key = entry.key;
    json value = nullptr;
    const auto given = settings.find(key);
    if (given != settings.end() && errors.contains(key)) {
      // Refused: shown as given (null as null), unless it is a secret.
      if (entry.secret != 0) {
        value = config::kSecretMask;
      } else if (!given->is_null()) {
        value = shown_text(*given);
      }
    } else if (const auto ok = resolved.find(key); ok != resolved.end()) {
      // Given, or the default.
      value = ok->second;
    }
    add(key, config_definition_json(entry, ++order), std::move(value));
  }
  // Keys the plugin does not know, in the order of the body's object
  // (nlohmann's: sorted). Their values are not shown: nothing says whether
  // they are secrets.
  for (const auto& [key, ignored] : settings.items()) {
    if (!errors.contains(key)) continue;
    add(key,
        {{"name", key},
         {"type", nullptr},
         {"required", false},
         {"default_value", nullptr},
         {"documentation",
          fmt::format("not a config key of plugin '{}'", plugin)},
         {"display_name", key},
         {"dependents", json::array()},
         {"order", ++order},
         {"secret", false},
         {"choices", json::array()},
         {"min_value", nullptr},
         {"max_value", nullptr},
         {"non_empty", false}},
        nullptr);
  }
  return {{"name", plugin},
          {"error_count", problems.size()},
          {"groups", json::array()},
          {"configs", std::move(configs)}};
}

}  // namespace rdconnect::http
