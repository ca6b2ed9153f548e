// Checked, typed reads out of a parsed config file that collect problems.
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/config_error.hpp"
#include "config/env_expand.hpp"

namespace rdconnect::config {

/// The contents of config file `path`. Throws ConfigError ("cannot read
/// config file PATH: REASON") when it cannot be read.
std::string read_config_file(const std::filesystem::path& path);

/// `text` parsed as TOML; `file` names it in messages and in the source
/// positions of its nodes. Throws ConfigError ("file:line:col: invalid
/// TOML: ...") when it is not TOML.
toml::table parse_toml(std::string_view text, const std::string& file);

/// Orders `problems` as they appear in the file (those without a line
/// first), so that the operator can fix them top to bottom.
void sort_in_file_order(std::vector<ConfigProblem>& problems);

/// "a string", "an integer", ... as used in "expected X, got Y".
std::string_view describe_type(toml::node_type type);

/// The dotted path of `key` under `parent` as the operator would write it:
/// `host.status_interval_ms`, `kafka."bootstrap.servers"`. An empty parent
/// gives the key alone.
std::string key_path(std::string_view parent, std::string_view key);

/// Reads values out of one parsed config file. Every read checks the type
/// (and range), refuses strings holding a NUL and expands ${env:...} and
/// ${file:...} in strings (see expand_config_value). A problem is recorded
/// as "file:line:col: <path>: <what is wrong>" and the read returns nothing,
/// so that parsing goes on and the operator sees every problem in one pass.
///
/// A value holding a file's contents is a secret: no problem recorded here
/// quotes it, whatever message the caller writes (a value it names as
/// unknown, a librdkafka refusal), as the reader hides it in every message.
class TomlReader {
 public:
  /// `file` names the config in messages, and its directory is where a
  /// relative ${file:PATH} is read from.
  TomlReader(std::string file, EnvLookup lookup);

  SourceLocation location_of(const toml::source_region& region) const;
  void report(const toml::source_region& where, std::string message);
  /// A problem with the file as a whole, reported without a line.
  void report_file(std::string message);
  /// Throws ConfigError listing every problem reported so far, if any, in
  /// the order they appear in the file.
  void throw_if_problems() const;

  /// Reports every key of `table` that is not in `allowed`, at the key.
  /// `table_path` is empty for the top level.
  void reject_unknown_keys(const toml::table& table,
                           std::string_view table_path,
                           std::initializer_list<std::string_view> allowed);

  /// The value of `key`, or nullptr after reporting it missing at the
  /// table. `example` is the value shown in the hint (`"<topic name>"`).
  const toml::node* require(const toml::table& table,
                            std::string_view table_path, std::string_view key,
                            std::string_view example);

  std::optional<std::string> read_string(const toml::node& node,
                                         std::string_view path);
  /// A string that must not be empty; `what` names it in the message
  /// ("a topic name").
  std::optional<std::string> read_nonempty_string(const toml::node& node,
                                                  std::string_view path,
                                                  std::string_view what);
  std::optional<int64_t> read_integer(const toml::node& node,
                                      std::string_view path, int64_t min,
                                      int64_t max);
  std::optional<bool> read_boolean(const toml::node& node,
                                   std::string_view path);
  const toml::table* read_table(const toml::node& node, std::string_view path);
  toml::table* read_table(toml::node& node, std::string_view path);
  const toml::array* read_array(const toml::node& node, std::string_view path);

  /// A table of free-form properties (librdkafka settings, topic configs):
  /// any key; string, integer and boolean values, all as text.
  std::map<std::string, std::string> read_properties(const toml::node& node,
                                                     std::string_view path);

  /// Expands references in every string under `table`, in place, through
  /// nested tables and arrays. Source positions are kept. Returns the keys
  /// of `table` whose value holds a file's contents anywhere in it.
  std::set<std::string> expand_strings_in_place(toml::table& table,
                                                std::string_view path);

 private:
  /// As expand_strings_in_place for any node; true when a string under it
  /// holds a file's contents.
  bool expand_node_in_place(toml::node& node, std::string_view path);
  void report_type(const toml::node& node, std::string_view path,
                   std::string_view expected);
  std::optional<ExpandedValue> expand(const toml::node& node,
                                      std::string_view path,
                                      std::string_view text);
  void add_problem(SourceLocation location, std::string message);

  std::string file_;
  std::filesystem::path config_directory_;
  EnvLookup lookup_;
  std::vector<ConfigProblem> problems_;
  /// The values read so far that hold a file's contents.
  std::vector<std::string> secret_values_;
};

}  // namespace rdconnect::config
