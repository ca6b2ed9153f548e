// The SQL types layout=columns gives the value's fields, how a type is
// inferred from a field's first non-null value, and which values a column
// of a type takes without PostgreSQL refusing them.
#pragma once

#include <optional>
#include <string_view>

#include "json_fields.hpp"

namespace rdconnect::postgres_sink {

enum class ColumnType {
  kText,
  kUuid,
  kBigint,
  kDoublePrecision,
  kBoolean,
  kJsonb,
  kTimestamptz,
};

/// The type a new column gets from the first non-null value of its field:
/// a UUID string uuid, an RFC 3339 timestamp string timestamptz, any other
/// string text, an integer bigint, any other number double precision, a
/// boolean boolean, an object or array jsonb. nullopt for null, which says
/// nothing about the type.
std::optional<ColumnType> inferred_column_type(const JsonField& field);

/// Whether the field's value can be stored in a column of `type`. Null fits
/// every type; text takes strings only, uuid and timestamptz only strings
/// of their form, bigint integers only, double precision integers and
/// numbers in its range, boolean booleans, jsonb anything.
bool fits(const JsonField& field, ColumnType type);

/// The type's name as format_type() prints it, e.g. "double precision".
std::string_view sql_name(ColumnType type);

/// The type named `format_type_name` (format_type()'s spelling), or nullopt
/// for a type layout=columns does not write.
std::optional<ColumnType> column_type_named(std::string_view format_type_name);

/// What the field holds, for messages: "a string", "an integer"...
std::string_view describe(const JsonField& field);

}  // namespace rdconnect::postgres_sink
