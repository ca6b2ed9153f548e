// SQL identifiers, always quoted: table, schema and column names come from
// the connector's config and must never be able to change a statement.
#pragma once

#include <string>
#include <string_view>

namespace rdconnect::postgres_sink {

/// `name` as a quoted PostgreSQL identifier: "name", with embedded double
/// quotes doubled (what PQescapeIdentifier does, without a connection).
/// Throws std::invalid_argument for an empty name or one containing a NUL.
std::string quote_identifier(std::string_view name);

/// `text` as an SQL string literal, E'text', with quotes and backslashes
/// escaped, which reads the same whatever standard_conforming_strings is.
/// For texts that must appear in a statement (JSON field names in
/// expressions); values are always passed as parameters or COPY data.
std::string quote_literal(std::string_view text);

/// A table in a schema, e.g. "public"."users".
struct TableName {
  std::string schema;
  std::string table;

  /// "schema"."table", both parts quoted.
  std::string quoted() const;
};

}  // namespace rdconnect::postgres_sink
