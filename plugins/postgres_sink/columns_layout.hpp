// layout = columns: each top-level field of the value (a JSON object) in a
// column of its own, beside the key and the record's Kafka coordinates.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "column_type.hpp"
#include "json_fields.hpp"
#include "key_column.hpp"
#include "postgres_sink_options.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

/// Target columns: <key_column> (as in layout=jsonb), kafka_topic,
/// kafka_partition, kafka_offset, kafka_timestamp, then one column per
/// field, named exactly as the field, typed by its first non-null value
/// (see inferred_column_type). A field that has only been null so far gets
/// no column yet: its rows read NULL either way, and the first real value
/// decides the type. The primary key is as in layout=jsonb.
///
/// A new field becomes a column through a numbered migration (the table's
/// creation, or ALTER TABLE ... ADD COLUMN) when the table does not exist
/// yet or auto_evolve is on; otherwise its record is rejected. A record is
/// also rejected when its value is not a JSON object, when a field does not
/// fit its column's type, when a field's name is one of the sink's own
/// columns or longer than PostgreSQL's 63-byte identifier limit, and when a
/// field has a value for a column of a type this layout does not write.
/// Such columns (added by hand) are otherwise left alone.
class ColumnsLayout : public RowLayout {
 public:
  /// Throws std::invalid_argument when key_column is a Kafka column's name.
  explicit ColumnsLayout(const PostgresSinkOptions& options);

  void discover(pqxx::transaction_base& tx) override;
  std::optional<std::string> rejection(const BufferedRecord& record) override;
  std::vector<Migration> migrations_for(
      std::span<const BufferedRecord> batch) const override;
  bool creatable_without_records() const override;
  bool copies_rows() const override;
  void copy_rows(pqxx::transaction_base& tx,
                 std::span<const BufferedRecord> records) const override;
  TargetColumn key() const override;
  std::vector<TargetColumn> values() const override;

 private:
  struct FieldColumn {
    std::string name;
    /// As format_type() prints it.
    std::string sql_type;
    /// nullopt for a type this layout does not write.
    std::optional<ColumnType> type;
  };

  // Why `field` cannot be written; adds the column a new field needs to
  // `wanted` (the record's new columns so far).
  std::optional<std::string> field_rejection(
      const JsonField& field, std::vector<FieldColumn>& wanted) const;
  std::optional<std::string> name_rejection(std::string_view name) const;
  // The column `name` has, or will have once the pending columns exist.
  const FieldColumn* column_for(std::string_view name,
                                std::span<const FieldColumn> wanted) const;
  void reconcile_pending();
  std::string column_definitions(std::span<const FieldColumn> columns) const;
  Migration create_table(std::span<const BufferedRecord> batch) const;
  Migration add_pending_columns() const;

  TableName target_;
  KeyColumn key_;
  bool auto_create_;
  bool auto_evolve_;
  // The field columns of the existing table, by name.
  std::map<std::string, FieldColumn, std::less<>> columns_;
  // Columns that accepted records need and the table does not have yet, by
  // name, and their names in the order their fields were first seen.
  std::map<std::string, FieldColumn, std::less<>> pending_;
  std::vector<std::string> pending_order_;
  // A pending column that appeared with another type (added by another
  // writer at the same time): the records buffered for it may not fit.
  std::optional<std::string> conflict_;
  int last_migration_ = 0;
};

}  // namespace rdconnect::postgres_sink
