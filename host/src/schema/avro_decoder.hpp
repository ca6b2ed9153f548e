// Avro binary data to JSON text, for sink records in a schema-registry
// format: plain JSON, like Kafka Connect's JsonConverter with schemas off.
#pragma once

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

#include "schema/avro_schema.hpp"

namespace rdconnect::schema {

/// The bytes are not a datum of the schema. The message names where:
/// "field 'order.lines[3].price': truncated: ...", or "datum: ..." for the
/// value as a whole.
class AvroDecodeError : public std::runtime_error {
 public:
  AvroDecodeError(std::string field_path, const std::string& reason);

  /// Record fields joined by '.', array indexes as "[3]", map keys as
  /// "[\"key\"]"; empty for the value as a whole.
  const std::string& field_path() const { return field_path_; }

 private:
  std::string field_path_;
};

/// Limits on what one datum may make the decoder do, whatever its bytes:
/// a record comes from Kafka and may be anything.
inline constexpr int kMaxDepth = 64;  ///< records, arrays, maps inside another
inline constexpr size_t kMaxItems = 1'000'000;  ///< array items + map entries
inline constexpr size_t kMaxJsonBytes = size_t{64} << 20;  ///< of the output

/// The JSON text of one Avro binary datum (the payload after the Confluent
/// wire prefix) written with `writer`:
/// - record: object, fields in schema order; map: object; array: array;
/// - union: the branch's value itself (null for the null branch); enum: the
///   symbol;
/// - int, long: integer; float, double: number, NaN and the infinities as
///   "NaN", "Infinity", "-Infinity"; boolean; string: string;
/// - bytes, fixed: base64 (standard alphabet, padded);
/// - decimal: the exact decimal as a string, `scale` fractional digits;
///   uuid: the string; date: "YYYY-MM-DD"; time-millis/-micros:
///   "HH:MM:SS.mmm"/"HH:MM:SS.uuuuuu"; timestamp-millis/-micros: RFC 3339
///   UTC, "2026-12-07T23:31:05.123Z"/"...05.123456Z"; local-timestamp-
///   millis/-micros: the same without "Z".
/// Throws AvroDecodeError for bytes that end too soon, trailing bytes, a
/// string that is not UTF-8, a union or enum index out of range, a map key
/// that repeats, a date or timestamp outside the years 0000 to 9999, and
/// data beyond the limits above.
std::string decode_avro(const AvroSchema& writer,
                        std::span<const std::byte> datum);

}  // namespace rdconnect::schema
