#include "plugin/describe.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "plugin/config_range.hpp"

namespace rdconnect::plugin {
namespace {

constexpr size_t kConfigColumns = 8;
using ConfigRow = std::array<std::string, kConfigColumns>;

std::string default_cell(const rdc_config_entry& entry) {
  if (entry.required) return "required";
  if (entry.default_value == nullptr) return "(none)";
  // A default baked into a plugin can still be a credential.
  if (entry.secret) return "(hidden)";
  if (*entry.default_value == '\0') return "\"\"";
  return entry.default_value;
}

// An example of a secret is often a real one pasted in, so it is hidden too.
std::string example_cell(const rdc_config_entry& entry) {
  if (entry.example == nullptr) return "";
  if (entry.secret) return "(hidden)";
  return entry.example;
}

ConfigRow config_row(const rdc_config_entry& entry) {
  return {entry.key,
          std::string(config_type_name(entry.type)),
          default_cell(entry),
          example_cell(entry),
          entry.secret ? "secret" : "",
          entry.choices ? entry.choices : "",
          range_summary(entry),
          entry.doc};
}

// Pads every column but the last to its widest cell, two spaces apart.
std::string render_table(const std::vector<ConfigRow>& rows,
                         std::string_view indent) {
  std::array<size_t, kConfigColumns> widths{};
  for (const ConfigRow& row : rows) {
    for (size_t column = 0; column < kConfigColumns; ++column) {
      widths[column] = std::max(widths[column], row[column].size());
    }
  }
  std::string text;
  for (const ConfigRow& row : rows) {
    std::string line(indent);
    for (size_t column = 0; column + 1 < kConfigColumns; ++column) {
      line += fmt::format("{:<{}}  ", row[column], widths[column]);
    }
    line += row.back();
    line.erase(line.find_last_not_of(' ') + 1);
    text += line + '\n';
  }
  return text;
}

std::string config_table(std::span<const rdc_config_entry> config_map) {
  if (config_map.empty()) return "config keys: none\n";
  std::vector<ConfigRow> rows = {{"KEY", "TYPE", "DEFAULT", "EXAMPLE", "SECRET",
                                  "CHOICES", "RANGE", "DOC"}};
  for (const rdc_config_entry& entry : config_map) {
    rows.push_back(config_row(entry));
  }
  return "config keys:\n" + render_table(rows, "  ");
}

}  // namespace

std::string describe_plugin(const LoadedPlugin& plugin) {
  return fmt::format(
             "name:        {}\n"
             "kind:        {}\n"
             "version:     {}\n"
             "file:        {}\n"
             "description: {}\n"
             "ABI:         {}.{}\n"
             "\n",
             plugin.name(), kind_name(plugin.kind()), plugin.version(),
             plugin.file().string(), plugin.description(), plugin.abi_major(),
             plugin.abi_minor()) +
         config_table(plugin.config_map());
}

std::string plugin_summary_line(const LoadedPlugin& plugin) {
  return fmt::format("{:<20}  {:<6}  {:<8}  {}", plugin.name(),
                     kind_name(plugin.kind()), plugin.version(),
                     plugin.description());
}

}  // namespace rdconnect::plugin
