#include "config/plugin_config.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/nearest_name.hpp"
#include "config/toml_reader.hpp"
#include "plugin/config_range.hpp"

namespace rdconnect::config {
namespace {

template <typename Range>
std::string join(const Range& words) {
  std::string joined;
  for (std::string_view word : words) {
    if (!joined.empty()) joined += ", ";
    joined += word;
  }
  return joined;
}

std::string_view expected_type(rdc_config_type type) {
  switch (type) {
    case RDC_CONFIG_STRING:
      return "a string";
    case RDC_CONFIG_INT:
      return "an integer";
    case RDC_CONFIG_DOUBLE:
      return "a number";
    case RDC_CONFIG_BOOL:
      return "a boolean (true or false)";
  }
  return "a value of an unknown type";
}

/// Checks one [*.config] table against one config map, collecting every
/// problem before throwing.
class PluginConfigResolver {
 public:
  PluginConfigResolver(const PluginSettings& settings,
                       std::span<const rdc_config_entry> config_map)
      : settings_(settings), config_map_(config_map) {}

  ResolvedPluginConfig resolve() {
    PluginConfigCheck checked = check();
    if (!checked.problems.empty()) {
      std::vector<ConfigProblem> problems;
      for (PluginConfigProblem& problem : checked.problems) {
        problems.push_back(std::move(problem.problem));
      }
      sort_in_file_order(problems);
      throw ConfigError(std::move(problems));
    }
    return std::move(checked.resolved);
  }

  PluginConfigCheck check() {
    reject_unknown_keys();
    PluginConfigCheck checked;
    for (const rdc_config_entry& entry : config_map_) {
      if (std::optional<std::string> value = resolve_value(entry)) {
        checked.resolved.add({entry.key, std::move(*value), is_secret(entry)});
      }
    }
    checked.problems = std::move(problems_);
    return checked;
  }

 private:
  void reject_unknown_keys() {
    std::vector<std::string_view> known;
    for (const rdc_config_entry& entry : config_map_) {
      known.push_back(entry.key);
    }
    for (const auto& [key, value] : settings_.table) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) {
        continue;
      }
      const std::string hint =
          known.empty() ? std::string("this plugin takes no settings")
                        : fmt::format("known keys: {}", join(known));
      const std::vector<std::string> names(known.begin(), known.end());
      report(
          std::string(key.str()), key.source(),
          fmt::format("unknown key '{}' for plugin '{}'{}; {}", key.str(),
                      settings_.plugin, did_you_mean(key.str(), names), hint));
    }
  }

  /// The textual value of `entry`: given, else its default, else nothing.
  std::optional<std::string> resolve_value(const rdc_config_entry& entry) {
    const toml::node* node = settings_.table.get(entry.key);
    if (node == nullptr) {
      if (entry.required != 0) {
        report_missing(entry);
        return std::nullopt;
      }
      if (entry.default_value == nullptr) return std::nullopt;
      return std::string(entry.default_value);
    }
    std::optional<std::string> text = as_text(entry, *node);
    if (!text.has_value()) {
      report(entry.key, node->source(),
             fmt::format("key '{}' for plugin '{}': expected {}, got {}",
                         entry.key, settings_.plugin, expected_type(entry.type),
                         describe_type(node->type())));
      return std::nullopt;
    }
    if (entry.type == RDC_CONFIG_STRING && entry.choices != nullptr &&
        !is_allowed_choice(entry, *node, *text)) {
      return std::nullopt;
    }
    if (!is_in_range(entry, *node, *text)) return std::nullopt;
    return text;
  }

  /// `node` as text in the form rdc_config_value promises, or nullopt when
  /// its TOML type does not fit `entry.type`.
  static std::optional<std::string> as_text(const rdc_config_entry& entry,
                                            const toml::node& node) {
    switch (entry.type) {
      case RDC_CONFIG_STRING:
        if (const auto* string = node.as_string()) return string->get();
        break;
      case RDC_CONFIG_INT:
        if (const auto* integer = node.as_integer()) {
          return std::to_string(integer->get());
        }
        break;
      case RDC_CONFIG_DOUBLE:
        if (const auto* integer = node.as_integer()) {
          return std::to_string(integer->get());
        }
        // fmt's "{}" is the shortest text that reads back as the same double.
        if (const auto* number = node.as_floating_point()) {
          return fmt::format("{}", number->get());
        }
        break;
      case RDC_CONFIG_BOOL:
        if (const auto* boolean = node.as_boolean()) {
          return boolean->get() ? "true" : "false";
        }
        break;
    }
    return std::nullopt;
  }

  bool is_allowed_choice(const rdc_config_entry& entry, const toml::node& node,
                         const std::string& value) {
    const std::vector<std::string_view> choices = split_choices(entry.choices);
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) {
      return true;
    }
    const std::string quoted =
        is_secret(entry) ? shown(entry, value) : fmt::format("\"{}\"", value);
    report(entry.key, node.source(),
           fmt::format("key '{}' for plugin '{}': {} is not allowed; expected "
                       "one of: {}",
                       entry.key, settings_.plugin, quoted, join(choices)));
    return false;
  }

  bool is_in_range(const rdc_config_entry& entry, const toml::node& node,
                   const std::string& value) {
    if (plugin::is_within_range(entry, value)) return true;
    const std::string expected = plugin::range_expectation(entry);
    if (value.empty()) {
      report(entry.key, node.source(),
             fmt::format("key '{}' for plugin '{}': expected {}, got an empty "
                         "string",
                         entry.key, settings_.plugin, expected));
      return false;
    }
    report(entry.key, node.source(),
           fmt::format("key '{}' for plugin '{}': {} is out of range; "
                       "expected {}",
                       entry.key, settings_.plugin, shown(entry, value),
                       expected));
    return false;
  }

  /// Declared secret by the plugin, or read from a file, which is how an
  /// operator keeps a value out of the config (and so out of sight).
  bool is_secret(const rdc_config_entry& entry) const {
    return entry.secret != 0 || settings_.keys_from_files.contains(entry.key);
  }

  // A secret's value must not reach logs, not even when it is wrong.
  std::string shown(const rdc_config_entry& entry,
                    const std::string& value) const {
    return is_secret(entry) ? std::string("the value (hidden: secret)") : value;
  }

  void report_missing(const rdc_config_entry& entry) {
    const std::string doc = entry.doc != nullptr && entry.doc[0] != '\0'
                                ? fmt::format(" ({})", entry.doc)
                                : std::string();
    problems_.push_back(
        {entry.key,
         ConfigProblem{
             settings_.location,
             fmt::format(
                 "missing required key '{}' for plugin '{}'{}; set it to "
                 "{} in the connector's config table",
                 entry.key, settings_.plugin, doc,
                 expected_type(entry.type))}});
  }

  /// Nodes copied out of the parsed document have lost their position;
  /// those are reported at the table instead.
  void report(std::string key, const toml::source_region& where,
              std::string message) {
    SourceLocation location = settings_.location;
    if (where.begin.line != 0) {
      location.line = where.begin.line;
      location.column = where.begin.column;
    }
    problems_.push_back({std::move(key), ConfigProblem{std::move(location),
                                                       std::move(message)}});
  }

  const PluginSettings& settings_;
  std::span<const rdc_config_entry> config_map_;
  std::vector<PluginConfigProblem> problems_;
};

}  // namespace

std::vector<std::string_view> split_choices(std::string_view choices) {
  std::vector<std::string_view> split;
  size_t start = 0;
  while (true) {
    const size_t bar = choices.find('|', start);
    split.push_back(choices.substr(start, bar - start));
    if (bar == std::string_view::npos) return split;
    start = bar + 1;
  }
}

void ResolvedPluginConfig::add(Entry entry) {
  entries_.push_back(std::move(entry));
}

std::vector<rdc_config_value> ResolvedPluginConfig::as_c() const {
  std::vector<rdc_config_value> values;
  values.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    values.push_back({entry.key.c_str(), entry.value.c_str()});
  }
  return values;
}

std::vector<ResolvedPluginConfig::Entry> ResolvedPluginConfig::masked_entries()
    const {
  std::vector<Entry> masked = entries_;
  for (Entry& entry : masked) {
    if (entry.secret) entry.value = kSecretMask;
  }
  return masked;
}

std::string ResolvedPluginConfig::mask_secrets_in(std::string text) const {
  for (const Entry& entry : entries_) {
    if (!entry.secret || entry.value.empty()) continue;
    for (size_t at = text.find(entry.value); at != std::string::npos;
         at = text.find(entry.value, at + kSecretMask.size())) {
      text.replace(at, entry.value.size(), kSecretMask);
    }
  }
  return text;
}

std::string ResolvedPluginConfig::to_display_string() const {
  std::string text;
  for (const Entry& entry : masked_entries()) {
    text += fmt::format("{} = {}\n", entry.key, entry.value);
  }
  return text;
}

ResolvedPluginConfig resolve_plugin_config(
    const PluginSettings& settings,
    std::span<const rdc_config_entry> config_map) {
  return PluginConfigResolver(settings, config_map).resolve();
}

PluginConfigCheck check_plugin_config(
    const PluginSettings& settings,
    std::span<const rdc_config_entry> config_map) {
  return PluginConfigResolver(settings, config_map).check();
}

}  // namespace rdconnect::config
