#include "column_type.hpp"

#include <array>
#include <utility>

#include "key_type.hpp"
#include "rfc3339.hpp"

namespace rdconnect::postgres_sink {
namespace {

constexpr std::array<std::pair<ColumnType, std::string_view>, 7> kSqlNames = {{
    {ColumnType::kText, "text"},
    {ColumnType::kUuid, "uuid"},
    {ColumnType::kBigint, "bigint"},
    {ColumnType::kDoublePrecision, "double precision"},
    {ColumnType::kBoolean, "boolean"},
    {ColumnType::kJsonb, "jsonb"},
    {ColumnType::kTimestamptz, "timestamp with time zone"},
}};

ColumnType string_column_type(std::string_view text) {
  if (is_uuid(text)) return ColumnType::kUuid;
  if (is_rfc3339_timestamp(text)) return ColumnType::kTimestamptz;
  return ColumnType::kText;
}

}  // namespace

std::optional<ColumnType> inferred_column_type(const JsonField& field) {
  switch (field.kind) {
    case JsonKind::kNull:
      return std::nullopt;
    case JsonKind::kBoolean:
      return ColumnType::kBoolean;
    case JsonKind::kInteger:
      return ColumnType::kBigint;
    case JsonKind::kNumber:
    case JsonKind::kOutOfRangeNumber:
      return ColumnType::kDoublePrecision;
    case JsonKind::kString:
      return string_column_type(field.text);
    case JsonKind::kObjectOrArray:
      return ColumnType::kJsonb;
  }
  return std::nullopt;
}

bool fits(const JsonField& field, ColumnType type) {
  if (field.kind == JsonKind::kNull) return true;
  switch (type) {
    case ColumnType::kText:
      return field.kind == JsonKind::kString;
    case ColumnType::kUuid:
      return field.kind == JsonKind::kString && is_uuid(field.text);
    case ColumnType::kTimestamptz:
      return field.kind == JsonKind::kString &&
             is_rfc3339_timestamp(field.text);
    case ColumnType::kBigint:
      return field.kind == JsonKind::kInteger;
    case ColumnType::kDoublePrecision:
      return field.kind == JsonKind::kInteger ||
             field.kind == JsonKind::kNumber;
    case ColumnType::kBoolean:
      return field.kind == JsonKind::kBoolean;
    case ColumnType::kJsonb:
      return true;
  }
  return false;
}

std::string_view sql_name(ColumnType type) {
  for (const auto& [candidate, name] : kSqlNames) {
    if (candidate == type) return name;
  }
  return "text";
}

std::optional<ColumnType> column_type_named(std::string_view format_type_name) {
  for (const auto& [type, name] : kSqlNames) {
    if (name == format_type_name) return type;
  }
  return std::nullopt;
}

std::string_view describe(const JsonField& field) {
  switch (field.kind) {
    case JsonKind::kNull:
      return "null";
    case JsonKind::kBoolean:
      return "a boolean";
    case JsonKind::kInteger:
      return "an integer";
    case JsonKind::kNumber:
      return "a number";
    case JsonKind::kOutOfRangeNumber:
      return "a number out of double precision's range";
    case JsonKind::kString:
      switch (string_column_type(field.text)) {
        case ColumnType::kUuid:
          return "a UUID string";
        case ColumnType::kTimestamptz:
          return "an RFC 3339 timestamp string";
        default:
          return "a string";
      }
    case JsonKind::kObjectOrArray:
      return "an object or array";
  }
  return "a value";
}

}  // namespace rdconnect::postgres_sink
