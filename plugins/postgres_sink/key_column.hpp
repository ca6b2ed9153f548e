// The key column every layout has: named by key_column, of the declared
// key_type, or (key_type = "infer") uuid when every key of the batch that
// creates the table is a UUID, else text.
#pragma once

#include <optional>
#include <span>
#include <string>

#include <pqxx/pqxx>

#include "buffered_record.hpp"
#include "identifier.hpp"
#include "key_type.hpp"
#include "postgres_sink_options.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

class KeyColumn {
 public:
  /// `declared` is the type a created table gets; nullopt to infer it.
  KeyColumn(TableName target, std::string name, WriteMode mode,
            std::optional<KeyType> declared);

  /// Reads the column's type from the existing target table; throws
  /// std::runtime_error when the table has no column of that name, or one
  /// of another type than the declared one.
  void discover(pqxx::transaction_base& tx);

  /// The target table does not exist (any more).
  void forget() { type_.reset(); }

  /// The column's type; nullopt while the table does not exist.
  std::optional<KeyType> type() const { return type_; }

  const std::string& name() const { return name_; }

  /// Whether the type a created table gets is known without records.
  bool declared() const { return declared_.has_value(); }

  /// Why `key` cannot be written (not UTF-8, not a UUID for a uuid column,
  /// null in upsert mode), or nullopt.
  std::optional<std::string> rejection(
      const std::optional<std::string>& key) const;

  /// "<name> <type> [NOT NULL]" for creating the table for `batch` (which
  /// decides the type only when it is not declared).
  std::string definition(std::span<const BufferedRecord> batch) const;

  /// The PRIMARY KEY of a new table: this column in upsert mode, the Kafka
  /// coordinates in insert mode.
  std::string primary_key() const;

  /// The column, computed from the staged key.
  TargetColumn target_column() const;

 private:
  TableName target_;
  std::string name_;
  WriteMode mode_;
  std::optional<KeyType> declared_;
  std::optional<KeyType> type_;
};

}  // namespace rdconnect::postgres_sink
