#include "config/toml_reader.hpp"

#include <algorithm>
#include <system_error>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "common/nearest_name.hpp"
#include "common/whole_file.hpp"

namespace rdconnect::config {
namespace {

// What a message shows instead of a value that holds a file's contents.
constexpr std::string_view kHiddenValue = "(hidden: secret)";

bool is_bare_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string quoted_key(std::string_view key) {
  std::string quoted = "\"";
  for (char c : key) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + '"';
}

std::string join(std::initializer_list<std::string_view> words) {
  std::string joined;
  for (std::string_view word : words) {
    if (!joined.empty()) joined += ", ";
    joined += word;
  }
  return joined;
}

void replace_all(std::string& text, std::string_view what,
                 std::string_view with) {
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

}  // namespace

std::string read_config_file(const std::filesystem::path& path) {
  try {
    return read_whole_file(path);
  } catch (const std::system_error& error) {
    throw ConfigError(
        {ConfigProblem{SourceLocation{path.string()},
                       fmt::format("cannot read config file {}: {}",
                                   path.string(), error.code().message())}});
  }
}

toml::table parse_toml(std::string_view text, const std::string& file) {
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    throw ConfigError(
        {ConfigProblem{SourceLocation{file, at.line, at.column},
                       fmt::format("invalid TOML: {}", error.description())}});
  }
}

void sort_in_file_order(std::vector<ConfigProblem>& problems) {
  std::stable_sort(problems.begin(), problems.end(),
                   [](const ConfigProblem& a, const ConfigProblem& b) {
                     return std::tie(a.location.line, a.location.column) <
                            std::tie(b.location.line, b.location.column);
                   });
}

std::string_view describe_type(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string key_path(std::string_view parent, std::string_view key) {
  const std::string written =
      is_bare_key(key) ? std::string(key) : quoted_key(key);
  if (parent.empty()) return written;
  return fmt::format("{}.{}", parent, written);
}

TomlReader::TomlReader(std::string file, EnvLookup lookup)
    : file_(std::move(file)),
      config_directory_(std::filesystem::path(file_).parent_path()),
      lookup_(std::move(lookup)) {}

SourceLocation TomlReader::location_of(
    const toml::source_region& region) const {
  return SourceLocation{file_, region.begin.line, region.begin.column};
}

void TomlReader::report(const toml::source_region& where, std::string message) {
  add_problem(location_of(where), std::move(message));
}

void TomlReader::report_file(std::string message) {
  add_problem(SourceLocation{file_}, std::move(message));
}

// Callers quote values in their messages, and librdkafka quotes the value of
// a property it refuses; hiding the secrets here covers every such message,
// present and future, in one place.
void TomlReader::add_problem(SourceLocation location, std::string message) {
  for (const std::string& secret : secret_values_) {
    replace_all(message, secret, kHiddenValue);
  }
  problems_.push_back(ConfigProblem{std::move(location), std::move(message)});
}

void TomlReader::throw_if_problems() const {
  if (problems_.empty()) return;
  std::vector<ConfigProblem> in_file_order = problems_;
  sort_in_file_order(in_file_order);
  throw ConfigError(std::move(in_file_order));
}

void TomlReader::reject_unknown_keys(
    const toml::table& table, std::string_view table_path,
    std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : table) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) {
      continue;
    }
    const std::string what =
        table_path.empty()
            ? fmt::format("unknown top-level key '{}'", key.str())
            : fmt::format("unknown key '{}' in {}", key.str(), table_path);
    const std::vector<std::string> known(allowed.begin(), allowed.end());
    report(key.source(),
           fmt::format("{}{}; allowed keys: {}", what,
                       did_you_mean(key.str(), known), join(allowed)));
  }
}

const toml::node* TomlReader::require(const toml::table& table,
                                      std::string_view table_path,
                                      std::string_view key,
                                      std::string_view example) {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    report(table.source(),
           fmt::format("missing required key '{}' in {}; add {} = {}", key,
                       table_path, key, example));
  }
  return node;
}

std::optional<std::string> TomlReader::read_string(const toml::node& node,
                                                   std::string_view path) {
  const auto* value = node.as_string();
  if (value == nullptr) {
    report_type(node, path, "a string");
    return std::nullopt;
  }
  std::optional<ExpandedValue> expanded = expand(node, path, value->get());
  if (!expanded.has_value()) return std::nullopt;
  return std::move(expanded->text);
}

std::optional<std::string> TomlReader::read_nonempty_string(
    const toml::node& node, std::string_view path, std::string_view what) {
  std::optional<std::string> text = read_string(node, path);
  if (text.has_value() && text->empty()) {
    report(node.source(),
           fmt::format("{}: expected {}, got an empty string", path, what));
    return std::nullopt;
  }
  return text;
}

std::optional<int64_t> TomlReader::read_integer(const toml::node& node,
                                                std::string_view path,
                                                int64_t min, int64_t max) {
  const auto* value = node.as_integer();
  if (value == nullptr) {
    report_type(node, path, "an integer");
    return std::nullopt;
  }
  const int64_t number = value->get();
  if (number < min || number > max) {
    report(node.source(),
           fmt::format("{}: {} is out of range; expected an integer from {} "
                       "to {}",
                       path, number, min, max));
    return std::nullopt;
  }
  return number;
}

std::optional<bool> TomlReader::read_boolean(const toml::node& node,
                                             std::string_view path) {
  const auto* value = node.as_boolean();
  if (value == nullptr) {
    report_type(node, path, "a boolean");
    return std::nullopt;
  }
  return value->get();
}

const toml::table* TomlReader::read_table(const toml::node& node,
                                          std::string_view path) {
  const toml::table* table = node.as_table();
  if (table == nullptr) report_type(node, path, "a table");
  return table;
}

toml::table* TomlReader::read_table(toml::node& node, std::string_view path) {
  toml::table* table = node.as_table();
  if (table == nullptr) report_type(node, path, "a table");
  return table;
}

const toml::array* TomlReader::read_array(const toml::node& node,
                                          std::string_view path) {
  const toml::array* array = node.as_array();
  if (array == nullptr) report_type(node, path, "an array");
  return array;
}

std::map<std::string, std::string> TomlReader::read_properties(
    const toml::node& node, std::string_view path) {
  std::map<std::string, std::string> properties;
  const toml::table* table = read_table(node, path);
  if (table == nullptr) return properties;
  for (const auto& [key, value] : *table) {
    const std::string value_path = key_path(path, key.str());
    std::optional<std::string> text;
    if (const auto* string = value.as_string()) {
      if (std::optional<ExpandedValue> expanded =
              expand(value, value_path, string->get())) {
        text = std::move(expanded->text);
      }
    } else if (const auto* integer = value.as_integer()) {
      text = std::to_string(integer->get());
    } else if (const auto* boolean = value.as_boolean()) {
      text = boolean->get() ? "true" : "false";
    } else {
      report_type(value, value_path, "a string, integer or boolean");
    }
    if (text.has_value()) properties.emplace(key.str(), std::move(*text));
  }
  return properties;
}

std::set<std::string> TomlReader::expand_strings_in_place(
    toml::table& table, std::string_view path) {
  std::set<std::string> keys_holding_files;
  for (auto&& [key, value] : table) {
    if (expand_node_in_place(value, key_path(path, key.str()))) {
      keys_holding_files.emplace(key.str());
    }
  }
  return keys_holding_files;
}

bool TomlReader::expand_node_in_place(toml::node& node, std::string_view path) {
  bool holds_file_contents = false;
  if (auto* string = node.as_string()) {
    if (std::optional<ExpandedValue> expanded =
            expand(node, path, string->get())) {
      string->get() = std::move(expanded->text);
      holds_file_contents = expanded->holds_file_contents;
    }
  } else if (auto* table = node.as_table()) {
    holds_file_contents = !expand_strings_in_place(*table, path).empty();
  } else if (auto* array = node.as_array()) {
    for (size_t i = 0; i < array->size(); ++i) {
      holds_file_contents |=
          expand_node_in_place((*array)[i], fmt::format("{}[{}]", path, i));
    }
  }
  return holds_file_contents;
}

void TomlReader::report_type(const toml::node& node, std::string_view path,
                             std::string_view expected) {
  report(node.source(), fmt::format("{}: expected {}, got {}", path, expected,
                                    describe_type(node.type())));
}

std::optional<ExpandedValue> TomlReader::expand(const toml::node& node,
                                                std::string_view path,
                                                std::string_view text) {
  // Paths, table names and DSNs reach C APIs, where a NUL ends the string:
  // the value would silently be cut short. The value is not quoted, as it
  // may be a secret.
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    report(node.source(),
           fmt::format("{}: contains a NUL character (\\u0000) at character "
                       "{}, which would cut the value short; remove it",
                       path, nul + 1));
    return std::nullopt;
  }
  try {
    ExpandedValue expanded =
        expand_config_value(text, lookup_, config_directory_);
    // An empty value gives nothing away (and "" is found everywhere).
    if (expanded.holds_file_contents && !expanded.text.empty()) {
      secret_values_.push_back(expanded.text);
    }
    return expanded;
  } catch (const EnvExpandError& error) {
    report(node.source(), fmt::format("{}: {}", path, error.what()));
    return std::nullopt;
  }
}

}  // namespace rdconnect::config
