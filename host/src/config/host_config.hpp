// The host's configuration file: its shape, parsed and checked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/config_error.hpp"
#include "config/env_expand.hpp"
#include "config/listen_address.hpp"
#include "config/record_format.hpp"

namespace rdconnect::config {

/// How a source's records are spread over the partitions of its topic.
enum class PartitionerKind {
  uuid_mod,  ///< key as a 128-bit UUID integer, modulo the partition count
  murmur2,   ///< the Java client's default partitioner
  murmur3,   ///< Python mmh3.hash(key) % n
  librdkafka_default,  ///< written "default": librdkafka's own
};

/// [source.topic_creation] / [sink.topic_creation]: what the host creates
/// when the topic does not exist yet.
struct TopicCreation {
  int32_t partitions = 1;
  int16_t replication_factor = 1;
  std::map<std::string, std::string> configs;
};

/// What happens to a record that fails for good.
enum class ErrorTolerance {
  none,  ///< the connector stops (FAILED); the record's offset is not committed
  all,   ///< the record goes to the dead-letter topic (or is logged) and the
         ///< pipeline goes on
};

/// [source.errors] / [sink.errors].
struct ErrorPolicy {
  ErrorTolerance tolerance = ErrorTolerance::none;
  /// How long a retriable failure is retried (exponential backoff) before
  /// it counts as failed for good; 0 = no retries.
  int64_t retry_timeout_ms = 300000;
  /// Cap of the backoff between retries.
  int32_t retry_max_delay_ms = 30000;
  /// Dead-letter topic (created by the host if missing); empty = none, and
  /// tolerated records are only logged and counted. Needs tolerance all.
  std::string dlq_topic;
  /// Add headers saying where a dead-lettered record came from and why.
  bool dlq_context_headers = true;
  int32_t dlq_partitions = 1;
  int16_t dlq_replication_factor = 1;
};

/// [source.restart] / [sink.restart]: restarting a FAILED connector.
struct RestartPolicy {
  bool enabled = true;
  /// Restarts in a row without progress (no record delivered or committed
  /// since the last one) before the connector stays FAILED.
  int32_t max_restarts = 10;
  int32_t initial_delay_ms = 1000;
  int32_t max_delay_ms = 60000;
};

/// A connector's plugin settings ([source.config] / [sink.config]), kept as
/// TOML so that they can be checked against the plugin's config map once the
/// plugin is loaded, with file:line:col in every error.
struct PluginSettings {
  std::string plugin;
  toml::table table;
  SourceLocation location;  ///< of the [*.config] table, or of the connector
  /// Keys whose value holds a ${file:...}'s contents: secrets, hidden as the
  /// keys the plugin's config map marks secret are.
  std::set<std::string> keys_from_files;
};

struct SourceConfig {
  std::string name;
  std::string topic;
  PartitionerKind partitioner = PartitionerKind::librdkafka_default;
  std::optional<TopicCreation> topic_creation;
  /// librdkafka properties for this connector's producer, over [kafka].
  std::map<std::string, std::string> kafka;
  /// A plugin call running longer than this is reported and fails the
  /// connector.
  int32_t call_timeout_ms = 60000;
  /// value_format, value_schema, value_schema_id: what the host writes of
  /// the plugin's values; a value it cannot write so is a per-record error
  /// (stage "encode").
  SourceValueEncoding value_encoding;
  /// Required when value_encoding uses one.
  std::optional<SchemaRegistrySettings> schema_registry;
  ErrorPolicy errors;
  RestartPolicy restart;
  PluginSettings settings;
  SourceLocation location;
};

struct SinkConfig {
  std::string name;
  std::vector<std::string> topics;
  std::string group_id;  ///< default "rdconnect-<name>"
  int32_t tasks = 1;
  /// How often the host flushes the sink and commits offsets.
  int32_t flush_interval_ms = 1000;
  /// Most records handed to one put().
  int32_t max_batch_records = 1000;
  /// Created by the host when missing (same shape as a source's).
  std::optional<TopicCreation> topic_creation;
  /// librdkafka properties for this connector's consumers, over [kafka].
  std::map<std::string, std::string> kafka;
  /// A record whose key and value together are larger is a per-record
  /// error (stage "size"); 0 = no limit.
  int64_t max_record_bytes = 0;
  /// How the keys and values are read; a record that does not read as
  /// its format is a per-record error (stage "convert").
  RecordFormat key_format = RecordFormat::bytes;
  RecordFormat value_format = RecordFormat::bytes;
  /// Required when a format uses one.
  std::optional<SchemaRegistrySettings> schema_registry;
  /// As SourceConfig::call_timeout_ms.
  int32_t call_timeout_ms = 60000;
  ErrorPolicy errors;
  RestartPolicy restart;
  PluginSettings settings;
  SourceLocation location;
};

/// [host]: settings of the host process itself.
struct HostSettings {
  int32_t status_interval_ms = 5000;
  /// How long stopping may take before the host reports what it still
  /// waits for and exits 1.
  int32_t shutdown_timeout_ms = 30000;
  /// Where the HTTP control API listens; unset: no HTTP server.
  std::optional<ListenAddress> http_listen;
  /// Bearer token every endpoint but /healthz requires; empty: none. A
  /// secret. Required when http_listen is not a loopback address.
  std::string http_token;
};

/// Why `host`'s HTTP settings must not be used (a non-loopback listen
/// address without a token), or nullopt when they are fine.
std::optional<std::string> http_exposure_problem(const HostSettings& host);

struct HostConfig {
  std::filesystem::path path;
  HostSettings host;
  /// [kafka]: librdkafka properties shared by every client.
  std::map<std::string, std::string> kafka;
  std::vector<SourceConfig> sources;
  std::vector<SinkConfig> sinks;
};

/// Parse and check a config file. ${env:NAME}, ${env:NAME:-default} and
/// ${file:PATH} (relative to the config file's directory) are
/// expanded in every string value. Throws ConfigError listing every problem
/// found, each as "file:line:col: message".
HostConfig load_host_config(const std::filesystem::path& path);

/// Same, from text (for tests and stdin); `path` is used in messages, and
/// a relative ${file:PATH} is read from its directory.
HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path);

/// Same, with ${env:NAME} looked up through `lookup` instead of the process
/// environment (tests).
HostConfig parse_host_config(std::string_view text,
                             const std::filesystem::path& path,
                             const EnvLookup& lookup);

}  // namespace rdconnect::config
