// What the catalog says about the target table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "identifier.hpp"

namespace rdconnect::postgres_sink {

/// Whether `table` exists (as a table, view or other relation).
bool table_exists(pqxx::transaction_base& tx, const TableName& table);

/// The SQL type of `column` of `table` as format_type() prints it ("uuid",
/// "text", "character varying(36)"...), or nullopt when the table has no
/// such column.
std::optional<std::string> column_type(pqxx::transaction_base& tx,
                                       const TableName& table,
                                       const std::string& column);

/// A column of a table: its name and SQL type as format_type() prints it.
struct ColumnInfo {
  std::string name;
  std::string type;
};

/// The columns of `table`, in table order; empty when it does not exist.
std::vector<ColumnInfo> table_columns(pqxx::transaction_base& tx,
                                      const TableName& table);

}  // namespace rdconnect::postgres_sink
