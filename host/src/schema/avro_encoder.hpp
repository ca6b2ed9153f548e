// JSON text to Avro binary data, for source records in a schema-registry
// format: the plugin's JSON, written as the schema says. The mapping is
// decode_avro()'s read backwards, taking a little more than it writes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "schema/avro_schema.hpp"

namespace rdconnect::schema {

/// The JSON is not a value of the schema. The message names where, as
/// AvroDecodeError's does: "field 'order.lines[3].price': expected a
/// number, got a string", or "datum: ..." for the value as a whole.
class AvroEncodeError : public std::runtime_error {
 public:
  AvroEncodeError(std::string field_path, const std::string& reason);

  /// Record fields joined by '.', array indexes as "[3]", map keys as
  /// "[\"key\"]"; empty for the value as a whole.
  const std::string& field_path() const { return field_path_; }

 private:
  std::string field_path_;
};

/// Appends the Avro binary encoding of `json` (one JSON value) to `out`,
/// which is left as it was when this throws. What each type takes:
/// - record: an object with a key for every field and no other key (a
///   typo must not vanish; schema defaults are not filled in, since
///   AvroSchema does not keep them); map: an object, written in the order
///   of its keys; array: an array;
/// - union: the branch's value itself, written as the first branch that
///   takes it (null as the null branch; for a record branch, an object
///   whose keys are the record's fields and each of them; for a map or
///   array branch, any object or array). Also Avro's JSON encoding of a
///   union, {"name": value}, when no record or map branch takes the object
///   as it is and a branch has that name: its type ("string", "long",
///   "array", ...) or, for a named type, its name or full name;
/// - enum: one of its symbols; boolean; string: a string;
/// - int, long: an integer (not 1.0 nor 1e3) within the type's range;
/// - float, double: a number, or "NaN", "Infinity", "-Infinity";
/// - bytes, fixed: base64 (standard or URL-safe alphabet, padded or not);
///   a fixed's exact size;
/// - decimal: a string or a number, with digits beyond the scale only if
///   they are zeros (never rounded): "12.3" at scale 2 is 1230, written in
///   the fewest bytes of two's complement (a fixed's, sign-extended). Its
///   precision is not checked, since AvroSchema does not keep it: only
///   kMaxDecimalPrecision digits, and a fixed's size;
/// - uuid: a string in the 8-4-4-4-12 hex form;
/// - date: "YYYY-MM-DD" or an integer of days since 1970-01-01;
///   time-millis/-micros: "HH:MM:SS[.fraction]" or an integer within a
///   day; timestamp-millis/-micros: RFC 3339 with "Z" or an offset
///   (converted to UTC), or an integer since 1970; local-timestamp-
///   millis/-micros: the same text with no offset and no "Z", or an
///   integer. Fraction digits beyond the unit must be zeros.
/// Throws AvroEncodeError for text that is not JSON (also a JSON that nests
/// deeper than any datum of kMaxDepth containers could), for data nested
/// deeper than kMaxDepth (avro_decoder.hpp) records, arrays and maps, and for a
/// JSON value that is not one of the schema's.
void encode_avro(const AvroSchema& schema, std::string_view json,
                 std::string& out);

}  // namespace rdconnect::schema
