#include "config/host_config.hpp"

#include <algorithm>
#include <limits>
#include <span>

#include <fmt/format.h>

#include "common/nearest_name.hpp"
#include "config/toml_reader.hpp"
#include "kafka/client_config.hpp"
#include "kafka/property_names.hpp"

namespace rdconnect::config {
namespace {

constexpr int64_t kInt32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kInt16Max = std::numeric_limits<int16_t>::max();
constexpr int64_t kMaxSinkTasks = 256;
// How librdkafka's refusal of a property it does not know begins.
constexpr std::string_view kUnknownPropertyRefusal =
    "No such configuration property";

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

std::optional<ErrorTolerance> tolerance_named(std::string_view name) {
  if (name == "none") return ErrorTolerance::none;
  if (name == "all") return ErrorTolerance::all;
  return std::nullopt;
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

/// What [[source]] and [[sink]] share besides the name and the error
/// policy (which depends on the topics a sink reads).
struct ConnectorCommon {
  std::optional<TopicCreation> topic_creation;
  std::map<std::string, std::string> kafka;
  int32_t call_timeout_ms = 60000;
  RestartPolicy restart;
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
      config.kafka = read_kafka_properties(*kafka, "kafka");
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
    reader_.reject_unknown_keys(*table, "host",
                                {"status_interval_ms", "shutdown_timeout_ms",
                                 "http_listen", "http_token"});
    if (const toml::node* interval = table->get("status_interval_ms")) {
      if (std::optional<int64_t> value = reader_.read_integer(
              *interval, "host.status_interval_ms", 1, kInt32Max)) {
        host.status_interval_ms = static_cast<int32_t>(*value);
      }
    }
    if (const toml::node* timeout = table->get("shutdown_timeout_ms")) {
      if (std::optional<int64_t> value = reader_.read_integer(
              *timeout, "host.shutdown_timeout_ms", 1, kInt32Max)) {
        host.shutdown_timeout_ms = static_cast<int32_t>(*value);
      }
    }
    read_http_settings(*table, host);
    return host;
  }

  void read_http_settings(const toml::table& table, HostSettings& host) {
    if (const toml::node* token = table.get("http_token")) {
      // Never quoted in a message: it is a secret.
      if (std::optional<std::string> value = reader_.read_nonempty_string(
              *token, "host.http_token", "a token")) {
        host.http_token = std::move(*value);
      }
    }
    const toml::node* listen = table.get("http_listen");
    if (listen == nullptr) return;
    const std::optional<std::string> text =
        reader_.read_nonempty_string(*listen, "host.http_listen", "an address");
    if (!text) return;
    host.http_listen = parse_listen_address(*text);
    if (!host.http_listen) {
      reader_.report(listen->source(),
                     "host.http_listen: '" + *text +
                         "' is not an address to listen on; write "
                         "\"IP:PORT\", e.g. \"127.0.0.1:8083\" (port 0 "
                         "picks a free port; IPv6 as \"[::1]:8083\")");
    } else if (std::optional<std::string> problem =
                   http_exposure_problem(host)) {
      reader_.report(listen->source(), "host.http_listen: " + *problem);
    }
  }

  /// A table of librdkafka properties. Each is tried on a throwaway conf, at
  /// its key, so that a typo or a bad value fails `validate` with the line
  /// rather than `run` when the first client is made.
  std::map<std::string, std::string> read_kafka_properties(
      const toml::node& node, const std::string& path) {
    std::map<std::string, std::string> properties =
        reader_.read_properties(node, path);
    const toml::table* table = node.as_table();
    if (table == nullptr) return properties;
    for (const auto& [key, value] : *table) {
      const auto property = properties.find(std::string(key.str()));
      if (property == properties.end()) continue;  // reported when read
      if (std::optional<std::string> refusal =
              kafka::property_refusal(property->first, property->second)) {
        const std::string suggestion =
            refusal->starts_with(kUnknownPropertyRefusal)
                ? did_you_mean(key.str(), kafka::property_names())
                : std::string();
        reader_.report(
            key.source(),
            fmt::format("{}: librdkafka refuses it: {}{}; see "
                        "librdkafka's CONFIGURATION.md for the "
                        "properties and their values",
                        key_path(path, key.str()), *refusal, suggestion));
      }
    }
    return properties;
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
    reader_.reject_unknown_keys(
        table, context,
        {"name", "plugin", "topic", "partitioner", "value_format",
         "value_schema", "value_schema_id", "schema_registry", "topic_creation",
         "kafka", "call_timeout_ms", "errors", "restart", "config"});
    ConnectorCommon common = parse_common(table, context, source.location);
    source.topic_creation = std::move(common.topic_creation);
    source.kafka = std::move(common.kafka);
    source.call_timeout_ms = common.call_timeout_ms;
    source.restart = common.restart;
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
    if (const toml::node* errors = table.get("errors")) {
      source.errors = parse_error_policy(*errors, key_path(context, "errors"),
                                         /*consumed_topics=*/{});
    }
    read_value_encoding(table, context, source);
    return source;
  }

  /// A source's value_format, its schema (value_schema, or value_schema_id)
  /// and the [source.schema_registry] they need.
  void read_value_encoding(const toml::table& table, std::string_view context,
                           SourceConfig& source) {
    SourceValueEncoding& encoding = source.value_encoding;
    read_optional_format(table, context, "value_format", encoding.format);
    if (const toml::node* text = table.get("value_schema")) {
      encoding.schema = reader_
                            .read_nonempty_string(
                                *text, key_path(context, "value_schema"),
                                "a schema (e.g. \"${file:schemas/x.avsc}\")")
                            .value_or("");
    }
    read_optional_integer(table, context, "value_schema_id", 0, kInt32Max,
                          encoding.schema_id);
    if (const toml::node* registry = table.get("schema_registry")) {
      source.schema_registry = parse_schema_registry(
          *registry, key_path(context, "schema_registry"), kSourceKind);
    }
    const toml::node* format = table.get("value_format");
    if (format == nullptr || !uses_schema_registry(encoding.format)) return;
    const std::string path = key_path(context, "value_format");
    const std::string_view name = record_format_name(encoding.format);
    if (!source.schema_registry) {
      reader_.report(format->source(),
                     fmt::format("{}: \"{}\" values carry a schema id, which "
                                 "needs a schema registry; add "
                                 "[{}.schema_registry] with url = "
                                 "\"http://...\"",
                                 path, name, kSourceKind));
    }
    const bool schema_given = table.get("value_schema") != nullptr;
    const bool id_given = table.get("value_schema_id") != nullptr;
    if (schema_given == id_given) {
      reader_.report(format->source(),
                     fmt::format("{}: \"{}\" needs exactly one of "
                                 "value_schema (the schema, registered under "
                                 "\"<topic>-value\") and value_schema_id (a "
                                 "schema the registry has)",
                                 path, name));
    }
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
         "max_batch_records", "max_record_bytes", "key_format", "value_format",
         "schema_registry", "topic_creation", "kafka", "call_timeout_ms",
         "errors", "restart", "config"});
    ConnectorCommon common = parse_common(table, context, sink.location);
    sink.topic_creation = std::move(common.topic_creation);
    sink.kafka = std::move(common.kafka);
    sink.call_timeout_ms = common.call_timeout_ms;
    sink.restart = common.restart;
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
    read_optional_integer(table, context, "tasks", 1, kMaxSinkTasks,
                          sink.tasks);
    read_optional_integer(table, context, "flush_interval_ms", 1, kInt32Max,
                          sink.flush_interval_ms);
    read_optional_integer(table, context, "max_batch_records", 1, kInt32Max,
                          sink.max_batch_records);
    read_optional_integer(table, context, "max_record_bytes", 0, kInt32Max,
                          sink.max_record_bytes);
    if (const toml::node* errors = table.get("errors")) {
      sink.errors =
          parse_error_policy(*errors, key_path(context, "errors"), sink.topics);
    }
    read_record_formats(table, context, sink);
    return sink;
  }

  /// key_format, value_format and the [sink.schema_registry] they may need.
  void read_record_formats(const toml::table& table, std::string_view context,
                           SinkConfig& sink) {
    read_optional_format(table, context, "key_format", sink.key_format);
    read_optional_format(table, context, "value_format", sink.value_format);
    if (const toml::node* registry = table.get("schema_registry")) {
      sink.schema_registry = parse_schema_registry(
          *registry, key_path(context, "schema_registry"), kSinkKind);
    }
    if (sink.schema_registry) return;
    for (const char* key : {"key_format", "value_format"}) {
      const toml::node* node = table.get(key);
      const RecordFormat format = std::string_view(key) == "key_format"
                                      ? sink.key_format
                                      : sink.value_format;
      if (node == nullptr || !uses_schema_registry(format)) continue;
      reader_.report(
          node->source(),
          fmt::format("{}: \"{}\" records carry a schema id, which needs a "
                      "schema registry; add [{}.schema_registry] with url = "
                      "\"http://...\"",
                      key_path(context, key), record_format_name(format),
                      kSinkKind));
    }
  }

  void read_optional_format(const toml::table& table, std::string_view context,
                            std::string_view key, RecordFormat& target) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    const std::string path = key_path(context, key);
    const std::optional<std::string> name = reader_.read_string(*node, path);
    if (!name.has_value()) return;
    if (std::optional<RecordFormat> format = record_format_named(*name)) {
      target = *format;
      return;
    }
    reader_.report(node->source(),
                   fmt::format("{}: unknown format \"{}\"; expected one of: "
                               "{}",
                               path, *name, record_format_names()));
  }

  /// [sink.schema_registry]. The password is never quoted in a message
  /// (give it as ${file:...} to keep it out of the config file).
  /// auto_register is a source's only.
  std::optional<SchemaRegistrySettings> parse_schema_registry(
      const toml::node& node, const std::string& path, std::string_view kind) {
    const toml::table* table = reader_.read_table(node, path);
    if (table == nullptr) return std::nullopt;
    if (kind == kSourceKind) {
      reader_.reject_unknown_keys(*table, path,
                                  {"url", "username", "password", "timeout_ms",
                                   "cache_capacity", "auto_register"});
    } else {
      reader_.reject_unknown_keys(
          *table, path,
          {"url", "username", "password", "timeout_ms", "cache_capacity"});
    }
    SchemaRegistrySettings registry;
    if (const toml::node* url =
            reader_.require(*table, path, "url", "\"http://<host>:<port>\"")) {
      registry.url = read_registry_url(*url, key_path(path, "url"));
    }
    if (const toml::node* username = table->get("username")) {
      registry.username =
          reader_
              .read_nonempty_string(*username, key_path(path, "username"),
                                    "a user name")
              .value_or("");
    }
    if (const toml::node* password = table->get("password")) {
      registry.password =
          reader_
              .read_nonempty_string(*password, key_path(path, "password"),
                                    "a password")
              .value_or("");
    }
    if (registry.username.empty() != registry.password.empty()) {
      reader_.report(table->source(),
                     fmt::format("{}: username and password go together; "
                                 "set both for basic authentication, or "
                                 "neither",
                                 path));
    }
    read_optional_integer(*table, path, "timeout_ms", 1, kInt32Max,
                          registry.timeout_ms);
    read_optional_integer(*table, path, "cache_capacity", 1, kInt32Max,
                          registry.cache_capacity);
    read_optional_boolean(*table, path, "auto_register",
                          registry.auto_register);
    return registry;
  }

  /// An http(s) URL without credentials in it (those would end up in logs).
  std::string read_registry_url(const toml::node& node,
                                const std::string& path) {
    std::optional<std::string> url =
        reader_.read_nonempty_string(node, path, "a URL");
    if (!url) return "";
    const bool http =
        url->starts_with("http://") || url->starts_with("https://");
    const size_t authority = url->find("://") + 3;
    const size_t end = url->find('/', authority);
    const bool credentials =
        http &&
        url->substr(authority, end - authority).find('@') != std::string::npos;
    if (!http || credentials) {
      // The URL is not quoted: it may hold a password.
      reader_.report(node.source(),
                     fmt::format("{}: expected an http:// or https:// URL "
                                 "without credentials in it (give those as "
                                 "username and password)",
                                 path));
      return "";
    }
    while (url->ends_with('/')) url->pop_back();
    return std::move(*url);
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
      common.kafka = read_kafka_properties(*kafka, key_path(context, "kafka"));
    }
    read_optional_integer(table, context, "call_timeout_ms", 1, kInt32Max,
                          common.call_timeout_ms);
    if (const toml::node* restart = table.get("restart")) {
      common.restart =
          parse_restart_policy(*restart, key_path(context, "restart"));
    }
    if (toml::node* config = table.get("config")) {
      const std::string path = key_path(context, "config");
      if (toml::table* settings = reader_.read_table(*config, path)) {
        common.settings.keys_from_files =
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

  /// [*.errors]. `consumed_topics` are the topics the connector reads (a
  /// sink's), which its dead-letter topic must not be one of.
  ErrorPolicy parse_error_policy(const toml::node& node,
                                 const std::string& path,
                                 std::span<const std::string> consumed_topics) {
    ErrorPolicy policy;
    const toml::table* table = reader_.read_table(node, path);
    if (table == nullptr) return policy;
    reader_.reject_unknown_keys(
        *table, path,
        {"tolerance", "retry_timeout_ms", "retry_max_delay_ms", "dlq_topic",
         "dlq_context_headers", "dlq_partitions", "dlq_replication_factor"});
    // Unknown after a bad value, so that no follow-up problem is guessed.
    std::optional<ErrorTolerance> tolerance = policy.tolerance;
    if (const toml::node* value = table->get("tolerance")) {
      tolerance = parse_tolerance(*value, key_path(path, "tolerance"));
      policy.tolerance = tolerance.value_or(policy.tolerance);
    }
    // Capped at int32 although stored wider, so that a deadline computed
    // from it cannot overflow a clock.
    read_optional_integer(*table, path, "retry_timeout_ms", 0, kInt32Max,
                          policy.retry_timeout_ms);
    read_optional_integer(*table, path, "retry_max_delay_ms", 1, kInt32Max,
                          policy.retry_max_delay_ms);
    if (const toml::node* topic = table->get("dlq_topic")) {
      policy.dlq_topic = parse_dlq_topic(*topic, key_path(path, "dlq_topic"),
                                         tolerance, consumed_topics);
    }
    read_optional_boolean(*table, path, "dlq_context_headers",
                          policy.dlq_context_headers);
    read_optional_integer(*table, path, "dlq_partitions", 1, kInt32Max,
                          policy.dlq_partitions);
    read_optional_integer(*table, path, "dlq_replication_factor", 1, kInt16Max,
                          policy.dlq_replication_factor);
    return policy;
  }

  std::optional<ErrorTolerance> parse_tolerance(const toml::node& node,
                                                const std::string& path) {
    const std::optional<std::string> name = reader_.read_string(node, path);
    if (!name.has_value()) return std::nullopt;
    std::optional<ErrorTolerance> tolerance = tolerance_named(*name);
    if (!tolerance.has_value()) {
      reader_.report(node.source(),
                     fmt::format("{}: unknown tolerance \"{}\"; expected one "
                                 "of: none, all",
                                 path, *name));
    }
    return tolerance;
  }

  /// The dead-letter topic, or empty after reporting why it cannot be one.
  /// `tolerance` is nullopt when it was given but unreadable.
  std::string parse_dlq_topic(const toml::node& node, const std::string& path,
                              std::optional<ErrorTolerance> tolerance,
                              std::span<const std::string> consumed_topics) {
    std::optional<std::string> topic =
        reader_.read_nonempty_string(node, path, "a topic name");
    if (!topic.has_value()) return "";
    if (tolerance == ErrorTolerance::none) {
      reader_.report(node.source(),
                     fmt::format("{}: dlq_topic needs tolerance = \"all\" "
                                 "(with tolerance = \"none\" the connector "
                                 "stops at the first failed record)",
                                 path));
      return "";
    }
    if (std::find(consumed_topics.begin(), consumed_topics.end(), *topic) !=
        consumed_topics.end()) {
      reader_.report(
          node.source(),
          fmt::format("{}: \"{}\" is also one of this sink's topics, so its "
                      "failed records would be consumed and fail again (a "
                      "loop); use a topic of its own, such as \"{}.dlq\"",
                      path, *topic, *topic));
      return "";
    }
    return std::move(*topic);
  }

  /// [*.restart].
  RestartPolicy parse_restart_policy(const toml::node& node,
                                     const std::string& path) {
    RestartPolicy policy;
    const toml::table* table = reader_.read_table(node, path);
    if (table == nullptr) return policy;
    reader_.reject_unknown_keys(
        *table, path,
        {"enabled", "max_restarts", "initial_delay_ms", "max_delay_ms"});
    read_optional_boolean(*table, path, "enabled", policy.enabled);
    read_optional_integer(*table, path, "max_restarts", 1, kInt32Max,
                          policy.max_restarts);
    const bool initial_delay_read =
        read_optional_integer(*table, path, "initial_delay_ms", 1, kInt32Max,
                              policy.initial_delay_ms);
    const bool max_delay_read = read_optional_integer(
        *table, path, "max_delay_ms", 1, kInt32Max, policy.max_delay_ms);
    if (initial_delay_read && max_delay_read) {
      check_restart_delays(*table, path, policy);
    }
    return policy;
  }

  /// The delay between restarts grows from initial_delay_ms up to
  /// max_delay_ms. The problem is reported at max_delay_ms, or at
  /// initial_delay_ms when max_delay_ms is left at its default.
  void check_restart_delays(const toml::table& table, const std::string& path,
                            const RestartPolicy& policy) {
    if (policy.max_delay_ms >= policy.initial_delay_ms) return;
    if (const toml::node* max_delay = table.get("max_delay_ms")) {
      reader_.report(
          max_delay->source(),
          fmt::format("{}: {} is less than initial_delay_ms ({}); expected at "
                      "least {}, as the delay between restarts grows from "
                      "initial_delay_ms up to max_delay_ms",
                      key_path(path, "max_delay_ms"), policy.max_delay_ms,
                      policy.initial_delay_ms, policy.initial_delay_ms));
      return;
    }
    // max_delay_ms is at its default, so initial_delay_ms was written.
    const toml::node* initial_delay = table.get("initial_delay_ms");
    reader_.report(
        initial_delay->source(),
        fmt::format("{}: {} is more than max_delay_ms ({} by default); lower "
                    "it or set max_delay_ms to at least {}",
                    key_path(path, "initial_delay_ms"), policy.initial_delay_ms,
                    policy.max_delay_ms, policy.initial_delay_ms));
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
  /// and within [min, max] (a range that fits `Integer`); leaves the
  /// default otherwise. False when the key is present but was rejected.
  template <typename Integer>
  bool read_optional_integer(const toml::table& table, std::string_view context,
                             std::string_view key, int64_t min, int64_t max,
                             Integer& target) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return true;
    const std::optional<int64_t> value =
        reader_.read_integer(*node, key_path(context, key), min, max);
    if (value.has_value()) target = static_cast<Integer>(*value);
    return value.has_value();
  }

  /// Reads optional boolean `key` of `table` into `target` when present.
  void read_optional_boolean(const toml::table& table, std::string_view context,
                             std::string_view key, bool& target) {
    const toml::node* node = table.get(key);
    if (node == nullptr) return;
    if (std::optional<bool> value =
            reader_.read_boolean(*node, key_path(context, key))) {
      target = *value;
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

}  // namespace

std::optional<std::string> http_exposure_problem(const HostSettings& host) {
  if (!host.http_listen || host.http_listen->loopback() ||
      !host.http_token.empty()) {
    return std::nullopt;
  }
  return host.http_listen->to_string() +
         " is reachable from other machines, and the control API can stop "
         "connectors; set [host] http_token (e.g. http_token = "
         "\"${file:/etc/rdconnect/http-token}\") or listen on 127.0.0.1";
}

HostConfig load_host_config(const std::filesystem::path& path) {
  return parse_host_config(read_config_file(path), path);
}

HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path) {
  return parse_host_config(text, path, lookup_process_env);
}

HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path,
                             const EnvLookup& lookup) {
  const std::string file = path.string();
  toml::table document = parse_toml(text, file);
  HostConfig config = HostConfigParser(file, lookup).parse(document);
  config.path = path;
  return config;
}

}  // namespace rdconnect::config
