// The "encode" stage of a source: the plugin's JSON values checked, or
// written in the wire format under the one schema the connector registered.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <variant>

#include "config/host_config.hpp"
#include "schema/record_converter.hpp"

namespace rdconnect::schema {

class AvroSchema;

/// One per source connector incarnation; not thread-safe.
class ValueEncoder {
 public:
  /// Settles the schema id first (I/O with the registry, for the schema
  /// formats): value_schema_id's schema fetched, or value_schema registered
  /// under "<topic>-value" (auto_register) or found there. Throws
  /// Error::retriable while the registry cannot be reached, and
  /// Error::permanent when the registry refuses the schema, has none of
  /// that id, or lacks it with auto_register off, or the schema does not
  /// parse: a restart would meet the same answer.
  explicit ValueEncoder(const config::SourceConfig& source);
  ~ValueEncoder();
  ValueEncoder(const ValueEncoder&) = delete;
  ValueEncoder& operator=(const ValueEncoder&) = delete;

  /// False for bytes: values go out as the plugin made them.
  bool encodes() const { return format_ != config::RecordFormat::bytes; }
  /// The id values are framed with; -1 for the formats without one.
  int32_t schema_id() const { return schema_id_; }

  /// What to produce for a non-null `value`: the value itself, its framed
  /// encoding (valid until the next call), or why it cannot be written.
  std::variant<std::span<const std::byte>, ConvertFailure> encode(
      std::span<const std::byte> value);

 private:
  void settle_schema_id(const config::SourceConfig& source);

  config::RecordFormat format_;
  int32_t schema_id_ = -1;
  std::shared_ptr<const AvroSchema> avro_;
  std::string buffer_;
};

}  // namespace rdconnect::schema
