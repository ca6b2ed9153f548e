// A connector's [*.config] table checked against its plugin's config map.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rdconnect/plugin.h>

#include "config/host_config.hpp"

namespace rdconnect::config {

/// What is shown in place of a secret's value.
inline constexpr std::string_view kSecretMask = "********";

/// A config map entry's choices ("a|b|c") one by one.
std::vector<std::string_view> split_choices(std::string_view choices);

/// The validated values in the textual form rdc_config_value promises
/// (decimal integers, "true"/"false", defaults filled in), in config-map
/// order. Owns the strings; as_c() gives the array for create().
class ResolvedPluginConfig {
 public:
  struct Entry {
    std::string key;
    std::string value;
    /// Declared secret by the config map, or read from a ${file:...}.
    bool secret = false;
  };

  void add(Entry entry);
  const std::vector<Entry>& entries() const { return entries_; }
  /// Pointers into entries(); valid while this object lives unchanged.
  std::vector<rdc_config_value> as_c() const;
  /// entries() with the value of every secret replaced by "********": what
  /// may be shown (validate, the HTTP API).
  std::vector<Entry> masked_entries() const;
  /// `text` (a plugin's message) with each secret's value in it replaced
  /// by "********".
  std::string mask_secrets_in(std::string text) const;
  /// "key = value" lines of masked_entries().
  std::string to_display_string() const;

 private:
  std::vector<Entry> entries_;
};

/// Check `settings` against `config_map`: unknown keys, missing required
/// keys, wrong types, values outside `choices` or the entry's range. Throws
/// ConfigError naming file:line:col, the key and what was expected.
ResolvedPluginConfig resolve_plugin_config(
    const PluginSettings& settings,
    std::span<const rdc_config_entry> config_map);

/// One problem of resolve_plugin_config, with the key it is about.
struct PluginConfigProblem {
  std::string key;
  ConfigProblem problem;
};

/// What resolve_plugin_config finds, without throwing: the entries that
/// passed (given or defaulted, in config-map order) and every problem, in
/// the order found (unknown keys first, then config-map order), with the
/// same messages. For the HTTP API's per-key validate answer.
struct PluginConfigCheck {
  ResolvedPluginConfig resolved;
  std::vector<PluginConfigProblem> problems;
};
PluginConfigCheck check_plugin_config(
    const PluginSettings& settings,
    std::span<const rdc_config_entry> config_map);

}  // namespace rdconnect::config
