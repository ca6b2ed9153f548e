#include "schema/value_encoder.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <rdconnect/encoding.hpp>

#include "common/error.hpp"
#include "schema/avro_encoder.hpp"
#include "schema/avro_schema.hpp"
#include "schema/registry_client.hpp"
#include "schema/wire_format.hpp"

namespace rdconnect::schema {
namespace {

using config::RecordFormat;

std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> as_bytes(const std::string& text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

std::string_view registry_type_of(RecordFormat format) {
  return format == RecordFormat::avro ? "AVRO" : "JSON";
}

ConvertFailure value_failure(std::string_view error_class,
                             std::string message) {
  return {error_class, "value: " + std::move(message)};
}

}  // namespace

ValueEncoder::ValueEncoder(const config::SourceConfig& source)
    : format_(source.value_encoding.format) {
  if (config::uses_schema_registry(format_)) settle_schema_id(source);
}

ValueEncoder::~ValueEncoder() = default;

void ValueEncoder::settle_schema_id(const config::SourceConfig& source) {
  const config::SourceValueEncoding& encoding = source.value_encoding;
  RegistryClient registry(*source.schema_registry);
  const std::string_view type = registry_type_of(format_);
  std::string text = encoding.schema;
  if (encoding.schema_id >= 0) {
    std::optional<RegisteredSchema> registered =
        registry.schema_by_id(encoding.schema_id);
    if (!registered || registered->type != type) {
      throw Error::permanent(fmt::format(
          "value_schema_id {} is not {} schema in the registry at {}",
          encoding.schema_id, registered ? "a " + std::string(type) : "a",
          registry.url()));
    }
    schema_id_ = encoding.schema_id;
    text = std::move(registered->text);
  } else {
    const std::string subject = source.topic + "-value";
    const bool register_it = source.schema_registry->auto_register;
    const std::optional<int32_t> id =
        register_it ? registry.register_schema(subject, type, text)
                    : registry.find_schema(subject, type, text);
    if (!id) {
      throw Error::permanent(fmt::format(
          "value_schema is not registered under subject {} at {}, and "
          "schema_registry.auto_register is off; register it, or turn "
          "auto_register on",
          subject, registry.url()));
    }
    schema_id_ = *id;
  }
  if (format_ != RecordFormat::avro) return;
  try {
    avro_ = std::make_shared<const AvroSchema>(AvroSchema::parse(text));
  } catch (const UnusableSchema& error) {
    throw Error::permanent(fmt::format(
        "the value schema (id {}) is not an Avro schema this host can write: "
        "{}",
        schema_id_, error.what()));
  }
}

std::variant<std::span<const std::byte>, ConvertFailure> ValueEncoder::encode(
    std::span<const std::byte> value) {
  const std::string_view text = as_text(value);
  switch (format_) {
    case RecordFormat::bytes:
      return value;
    case RecordFormat::string:
      if (is_valid_utf8(text)) return value;
      return value_failure("InvalidUtf8",
                           "not valid UTF-8, as value_format = \"string\" "
                           "requires");
    case RecordFormat::json:
      if (nlohmann::json::accept(text)) return value;
      return value_failure("InvalidJson", "not one JSON value");
    case RecordFormat::json_schema:
      if (!nlohmann::json::accept(text)) {
        return value_failure("InvalidJson", "not one JSON value");
      }
      buffer_.clear();
      append_wire_prefix(schema_id_, buffer_);
      buffer_.append(text);
      return as_bytes(buffer_);
    case RecordFormat::avro:
      buffer_.clear();
      append_wire_prefix(schema_id_, buffer_);
      try {
        encode_avro(*avro_, text, buffer_);
      } catch (const AvroEncodeError& error) {
        return value_failure(
            "AvroEncode",
            fmt::format("does not fit the value schema (id {}): {}", schema_id_,
                        error.what()));
      }
      return as_bytes(buffer_);
  }
  return value;
}

}  // namespace rdconnect::schema
