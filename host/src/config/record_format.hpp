// How a sink reads the bytes of a record's key or value, and the Schema
// Registry the schema-based formats resolve their schema ids at.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rdconnect::config {

/// key_format / value_format. The schema formats expect the Confluent wire
/// format (magic byte 0, a 4-byte schema id, the payload) and hand the
/// plugin the record decoded to JSON.
enum class RecordFormat {
  bytes,        ///< passed on untouched (the default)
  string,       ///< must be UTF-8
  json,         ///< must be one JSON value
  avro,         ///< Avro binary, its schema from the registry
  json_schema,  ///< JSON after the wire prefix; the schema id must resolve
};

/// The name a config file gives `format`.
std::string_view record_format_name(RecordFormat format);
/// The format `name` stands for, or nullopt for an unknown name.
std::optional<RecordFormat> record_format_named(std::string_view name);
/// The names record_format_named() knows, for messages: "bytes, string, ...".
std::string_view record_format_names();
/// Whether records of `format` carry a schema id to resolve.
bool uses_schema_registry(RecordFormat format);

/// [sink.schema_registry].
struct SchemaRegistrySettings {
  /// Base of its Confluent-compatible API, e.g.
  /// "http://127.0.0.1:8081" or Apicurio's ".../apis/ccompat/v7".
  std::string url;
  /// Basic authentication; both or neither. The password is a secret.
  std::string username;
  std::string password;
  /// Connect and read timeout of one request.
  int32_t timeout_ms = 10000;
  /// Schemas kept, by id (least recently used dropped first).
  int32_t cache_capacity = 1000;
  /// Sources: register value_schema under the topic's subject
  /// ("<topic>-value") when the registry does not have it yet; off, the
  /// schema must be registered already.
  bool auto_register = true;

  bool operator==(const SchemaRegistrySettings&) const = default;
};

/// How a source's values are written: the plugin hands over JSON, and the
/// host writes it as `format` in the wire format under one schema.
struct SourceValueEncoding {
  RecordFormat format = RecordFormat::bytes;
  /// The schema's text (an Avro schema, a JSON Schema); empty when a fixed
  /// schema_id names the schema instead.
  std::string schema;
  /// A schema id the registry gave already; -1: register or look up
  /// `schema`.
  int32_t schema_id = -1;

  bool operator==(const SourceValueEncoding&) const = default;
};

}  // namespace rdconnect::config
