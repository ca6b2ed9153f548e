#include "config/host_config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <memory>
#include <system_error>

#include <fmt/format.h>

#include "config/toml_reader.hpp"

namespace rdconnect::config {
namespace {

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt16Max = std::numeric_limits<int16_t>::max();
constexpr int64_t kMaxSinkTasks = 256;

constexpr std::string_view kSourceKind = "source";
constexpr std::string_view kSinkKind = "sink";

bool is_valid_connector_name(std::string_view name) {
  for (char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !digit && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

std::optional<PartitionerKind> partitioner_named(std::string_view name) {
  if (name == "uuid_mod") return PartitionerKind::uuid_mod;
  if (name == "murmur2") return PartitionerKind::murmur2;
  if (name == "murmur3") return PartitionerKind::murmur3;
  if (name == "default") return PartitionerKind::librdkafka_default;
  return std::nullopt;
}

/// True when `kind` ([[source]] or [[sink]]) is present and not an empty
/// array; a value of the wrong type counts, as it is reported on its own.
bool declares_connectors(const toml::table& root, std::string_view kind) {
  const toml::node* node = root.get(kind);
  if (node == nullptr) return false;
  const toml::array* array = node->as_array();
  return array == nullptr || !array->empty();
}

/// How a connector is named in messages: `source "uuids"` once its name is
/// known to be good, `source[0]` before that.
struct ConnectorIdentity {
  std::string name;
  std::string context;
};

/// One [[source]] or [[sink]] table and its position in the array.
struct ConnectorTable {
  size_t index;
  toml::table* table;
};

/// What [[source]] and [[sink]] share besides the name.
struct ConnectorCommon {
  std::optional<TopicCreation> topic_creation;
  std::map<std::string, std::string> kafka;
  PluginSettings settings;
};

class HostConfigParser {
 public:
  HostConfigParser(std::string file, const EnvLookup& lookup)
      : reader_(std::move(file), lookup) {}

  /// Moves each [*.config] table out of `document`, so that its source
  /// positions survive (toml++ drops them on copy).
  HostConfig parse(toml::table& document) {
    HostConfig config;
    reader_.reject_unknown_keys(document, "",
                                {"host", "kafka", kSourceKind, kSinkKind});
    if (const toml::node* host = document.get("host")) {
      config.host = parse_host_settings(*host);
    }
    if (const toml::node* kafka = document.get("kafka")) {
      config.kafka = reader_.read_properties(*kafka, "kafka");
    }
    for (const ConnectorTable& source :
         connector_tables(document, kSourceKind)) {
      config.sources.push_back(parse_source(*source.table, source.index));
    }
    for (const ConnectorTable& sink : connector_tables(document, kSinkKind)) {
      config.sinks.push_back(parse_sink(*sink.table, sink.index));
    }
    reject_duplicate_names();
    if (!declares_connectors(document, kSourceKind) &&
        !declares_connectors(document, kSinkKind)) {
      reader_.report_file(
          "nothing to run; add a [[source]] or [[sink]] section");
    }
    reader_.throw_if_problems();
    return config;
  }

 private:
  HostSettings parse_host_settings(const toml::node& node) {
    HostSettings host;
    const toml::table* table = reader_.read_table(node, "host");
    if (table == nullptr) return host;
    reader_.reject_unknown_keys(*table, "host", {"status_interval_ms"});
    if (const toml::node* interval = table->get("status_interval_ms")) {
      if (auto value = reader_.read_integer(
              *interval, "host.status_interval_ms", 1, kInt32Max)) {
        host.status_interval_ms = static_cast<int32_t>(*value);
      }
    }
    return host;
  }

  /// The tables of the [[kind]] array; anything else there is reported.
  std::vector<ConnectorTable> connector_tables(toml::table& root,
                                               std::string_view kind) {
    std::vector<ConnectorTable> tables;
    toml::node* node = root.get(kind);
    if (node == nullptr) return tables;
    toml::array* array = node->as_array();
    if (array == nullptr) {
      reader_.report(node->source(),
                     fmt::format("{}: expected an array of tables (write "
                                 "[[{}]] with double brackets), got {}",
                                 kind, kind, describe_type(node->type())));
      return tables;
    }
    for (size_t i = 0; i < array->size(); ++i) {
      toml::node& element = (*array)[i];
      if (toml::table* table = element.as_table()) {
        tables.push_back(ConnectorTable{i, table});
      } else {
        reader_.report(element.source(),
                       fmt::format("{}[{}]: expected a table, got {}", kind, i,
                                   describe_type(element.type())));
      }
    }
    return tables;
  }

  SourceConfig parse_source(toml::table& table, size_t index) {
    SourceConfig source;
    source.location = reader_.location_of(table.source());
    const ConnectorIdentity identity = identify(table, kSourceKind, index);
    source.name = identity.name;
    const std::string& context = identity.context;
    reader_.reject_unknown_keys(table, context,
                                {"name", "plugin", "topic", "partitioner",
                                 "topic_creation", "kafka", "config"});
    ConnectorCommon common = parse_common(table, context, source.location);
    source.topic_creation = std::move(common.topic_creation);
    source.kafka = std::move(common.kafka);
    source.settings = std::move(common.settings);

    if (const toml::node* topic =
            reader_.require(table, context, "topic", "\"<topic name>\"")) {
      source.topic = reader_
                         .read_nonempty_string(
                             *topic, key_path(context, "topic"), "a topic name")
                         .value_or("");
    }
    if (const toml::node* partitioner = table.get("partitioner")) {
      source.partitioner =
          parse_partitioner(*partitioner, key_path(context, "partitioner"));
    }
    return source;
  }

  SinkConfig parse_sink(toml::table& table, size_t index) {
    SinkConfig sink;
    sink.location = reader_.location_of(table.source());
    const ConnectorIdentity identity = identify(table, kSinkKind, index);
    sink.name = identity.name;
    const std::string& context = identity.context;
    reader_.reject_unknown_keys(
        table, context,
        {"name", "plugin", "topics", "group_id", "tasks", "flush_interval_ms",
         "max_batch_records", "topic_creation", "kafka", "config"});
    ConnectorCommon common = parse_common(table, context, sink.location);
    sink.topic_creation = std::move(common.topic_creation);
    sink.kafka = std::move(common.kafka);
    sink.settings = std::move(common.settings);

    if (const toml::node* topics =
            reader_.require(table, context, "topics", "[\"<topic name>\"]")) {
      sink.topics = parse_topic_list(*topics, key_path(context, "topics"));
    }
    sink.group_id = fmt::format("rdconnect-{}", sink.name);
    if (const toml::node* group_id = table.get("group_id")) {
      sink.group_id =
          reader_
              .read_nonempty_string(*group_id, key_path(context, "group_id"),
                                    "a consumer group id")
              .value_or(sink.group_id);
    }
    read_int32(table, context, "tasks", 1, kMaxSinkTasks, sink.tasks);
    read_int32(table, context, "flush_interval_ms", 1, kInt32Max,
               sink.flush_interval_ms);
    read_int32(table, context, "max_batch_records", 1, kInt32Max,
               sink.max_batch_records);
    return sink;
  }

  /// Reads and checks the name, and remembers it to catch a second
  /// connector of the same name once all are known.
  ConnectorIdentity identify(const toml::table& table, std::string_view kind,
                             size_t index) {
    ConnectorIdentity identity{"", fmt::format("{}[{}]", kind, index)};
    const toml::node* node =
        reader_.require(table, identity.context, "name", "\"<unique name>\"");
    if (node == nullptr) return identity;
    const std::string path = key_path(identity.context, "name");
    std::optional<std::string> name =
        reader_.read_nonempty_string(*node, path, "a connector name");
    if (!name.has_value()) return identity;
    identity.name = *name;
    if (!is_valid_connector_name(*name)) {
      reader_.report(node->source(),
                     fmt::format("{}: \"{}\" is not a valid connector name; "
                                 "use only letters, digits, '.', '_' and '-'",
                                 path, *name));
      return identity;
    }
    identity.context = fmt::format("{} \"{}\"", kind, *name);
    names_.push_back(NameUse{*name, identity.context, path, node->source()});
    return identity;
  }

  /// Sources and sinks share one namespace. The first connector in the file
  /// keeps a name; every later one is reported.
  void reject_duplicate_names() {
    std::stable_sort(names_.begin(), names_.end(),
                     [](const NameUse& a, const NameUse& b) {
                       return a.where.begin < b.where.begin;
                     });
    std::map<std::string_view, const NameUse*> first_use;
    for (const NameUse& use : names_) {
      const auto [first, inserted] = first_use.try_emplace(use.name, &use);
      if (inserted) continue;
      reader_.report(
          use.where,
          fmt::format("{}: the name \"{}\" is already used by {} at line {}; "
                      "connector names must be unique",
                      use.path, use.name, first->second->connector,
                      first->second->where.begin.line));
    }
  }

  ConnectorCommon parse_common(toml::table& table, std::string_view context,
                               const SourceLocation& connector_location) {
    ConnectorCommon common;
    common.settings.location = connector_location;
    if (const toml::node* plugin =
            reader_.require(table, context, "plugin", "\"<plugin name>\"")) {
      common.settings.plugin =
          reader_
              .read_nonempty_string(*plugin, key_path(context, "plugin"),
                                    "a plugin name")
              .value_or("");
    }
    if (const toml::node* creation = table.get("topic_creation")) {
      common.topic_creation =
          parse_topic_creation(*creation, key_path(context, "topic_creation"));
    }
    if (const toml::node* kafka = table.get("kafka")) {
      common.kafka =
          reader_.read_properties(*kafka, key_path(context, "kafka"));
    }
    if (toml::node* config = table.get("config")) {
      const std::string path = key_path(context, "config");
      if (toml::table* settings = reader_.read_table(*config, path)) {
        reader_.expand_strings_in_place(*settings, path);
        common.settings.location = reader_.location_of(settings->source());
        common.settings.table = std::move(*settings);
      }
    }
    return common;
  }

  std::optional<TopicCreation> parse_topic_creation(const toml::node& node,
                                                    const std::string& path) {
    const toml::table* table = reader_.read_table(node, path);
    if (table == nullptr) return std::nullopt;
    reader_.reject_unknown_keys(
        *table, path, {"partitions", "replication_factor", "configs"});
    TopicCreation creation;
    if (const toml::node* partitions =
            reader_.require(*table, path, "partitions", "<count>")) {
      if (auto value = reader_.read_integer(
              *partitions, key_path(path, "partitions"), 1, kInt32Max)) {
        creation.partitions = static_cast<int32_t>(*value);
      }
    }
    if (const toml::node* factor = table->get("replication_factor")) {
      if (auto value = reader_.read_integer(
              *factor, key_path(path, "replication_factor"), 1, kInt16Max)) {
        creation.replication_factor = static_cast<int16_t>(*value);
      }
    }
    if (const toml::node* configs = table->get("configs")) {
      creation.configs =
          reader_.read_properties(*configs, key_path(path, "configs"));
    }
    return creation;
  }

  PartitionerKind parse_partitioner(const toml::node& node,
                                    const std::string& path) {
    const std::optional<std::string> name = reader_.read_string(node, path);
    if (!name.has_value()) return PartitionerKind::librdkafka_default;
    if (std::optional<PartitionerKind> kind = partitioner_named(*name)) {
      return *kind;
    }
    reader_.report(node.source(),
                   fmt::format("{}: unknown partitioner \"{}\"; expected one "
                               "of: uuid_mod, murmur2, murmur3, default",
                               path, *name));
    return PartitionerKind::librdkafka_default;
  }

  std::vector<std::string> parse_topic_list(const toml::node& node,
                                            const std::string& path) {
    std::vector<std::string> topics;
    const toml::array* array = reader_.read_array(node, path);
    if (array == nullptr) return topics;
    if (array->empty()) {
      reader_.report(node.source(),
                     fmt::format("{}: expected at least one topic name, got "
                                 "an empty array",
                                 path));
    }
    for (size_t i = 0; i < array->size(); ++i) {
      if (auto topic = reader_.read_nonempty_string(
              (*array)[i], fmt::format("{}[{}]", path, i), "a topic name")) {
        topics.push_back(std::move(*topic));
      }
    }
    return topics;
  }

  /// Reads optional integer `key` of `table` into `target` when present
  /// and within [min, max]; leaves the default otherwise.
  void read_int32(const toml::table& table, std::string_view context,
                  std::string_view key, int64_t min, int64_t max,
                  int32_t& target) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    if (auto value =
            reader_.read_integer(*node, key_path(context, key), min, max)) {
      target = static_cast<int32_t>(*value);
    }
  }

  struct NameUse {
    std::string name;
    std::string connector;  ///< `source "uuids"`
    std::string path;       ///< `source[0].name`, unambiguous
    toml::source_region where;
  };

  TomlReader reader_;
  std::vector<NameUse> names_;
};

std::string read_file(const std::filesystem::path& path) {
  const auto fail = [&path](int error) {
    return ConfigError({ConfigProblem{
        SourceLocation{path.string()},
        fmt::format("cannot read config file {}: {}", path.string(),
                    std::generic_category().message(error))}});
  };
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) throw fail(errno);
  std::string text;
  char buffer[64 * 1024];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    text.append(buffer, count);
  }
  if (std::ferror(file.get())) throw fail(errno);
  return text;
}

}  // namespace

HostConfig load_host_config(const std::filesystem::path& path) {
  return parse_host_config(read_file(path), path);
}

HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path) {
  return parse_host_config(text, path, lookup_process_env);
}

HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path,
                             const EnvLookup& lookup) {
  const std::string file = path.string();
  toml::table document;
  try {
    document = toml::parse(text, file);
  } catch (const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    throw ConfigError(
        {ConfigProblem{SourceLocation{file, at.line, at.column},
                       fmt::format("invalid TOML: {}", error.description())}});
  }
  HostConfig config = HostConfigParser(file, lookup).parse(document);
  config.path = path;
  return config;
}

}  // namespace rdconnect::config
