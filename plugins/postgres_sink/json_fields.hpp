// The top-level fields of a JSON object, as layout=columns needs them to
// choose and check column types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdconnect::postgres_sink {

enum class JsonKind {
  kNull,
  kBoolean,
  /// An integer that fits a signed 64-bit value.
  kInteger,
  /// Any other number that a double holds without underflow to zero.
  kNumber,
  /// A number PostgreSQL's double precision refuses as out of range
  /// (1e-400). Numbers that overflow a double (1e400) are not valid JSON to
  /// the parser, see jsonb_rejection.
  kOutOfRangeNumber,
  kString,
  kObjectOrArray,
};

struct JsonField {
  std::string name;
  JsonKind kind;
  /// The decoded string of a kString; empty for other kinds.
  std::string text;
};

/// The fields of the JSON object `json`, in document order (a repeated name
/// appears once per occurrence), or nullopt when `json` is another JSON
/// value. `json` must be valid JSON (see jsonb_rejection).
std::optional<std::vector<JsonField>> top_level_fields(std::string_view json);

}  // namespace rdconnect::postgres_sink
