#include "target_table.hpp"

namespace rdconnect::postgres_sink {

bool table_exists(pqxx::transaction_base& tx, const TableName& table) {
  return tx
      .exec_params1("SELECT to_regclass($1) IS NOT NULL", table.quoted())[0]
      .as<bool>();
}

std::optional<std::string> column_type(pqxx::transaction_base& tx,
                                       const TableName& table,
                                       const std::string& column) {
  const pqxx::result rows = tx.exec_params(
      "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
      " WHERE attrelid = to_regclass($1) AND attname = $2"
      " AND NOT attisdropped",
      table.quoted(), column);
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

std::vector<ColumnInfo> table_columns(pqxx::transaction_base& tx,
                                      const TableName& table) {
  std::vector<ColumnInfo> columns;
  for (const pqxx::row& row : tx.exec_params(
           "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
           " WHERE attrelid = to_regclass($1) AND attnum > 0"
           " AND NOT attisdropped ORDER BY attnum",
           table.quoted())) {
    columns.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  }
  return columns;
}

}  // namespace rdconnect::postgres_sink
