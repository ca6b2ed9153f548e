// How a record becomes a row of the target table. The write path (staging,
// de-duplication, upsert, delete, offsets) is the same for every layout; a
// layout decides the target's columns and how each is computed from the
// staged record, and which migrations make the target ready for a batch.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "buffered_record.hpp"
#include "migrations.hpp"

namespace rdconnect::postgres_sink {

/// A target column and the SQL expression that computes it from the staged
/// record, which statements call `s` (see staging_table.hpp for its
/// columns).
struct TargetColumn {
  /// Quoted.
  std::string name;
  std::string expression;
};

class RowLayout {
 public:
  virtual ~RowLayout() = default;

  /// Reads what the target table looks like now (whether it exists, its
  /// key type...). Called after every (re)connect.
  virtual void discover(pqxx::transaction_base& tx) = 0;

  /// Why `record` can never be written by this layout (a key that does not
  /// fit the key column, a value that is not JSON...), or nullopt. Deciding
  /// may change the layout: what an accepted record needs (a new column) is
  /// remembered for migrations_for().
  virtual std::optional<std::string> rejection(
      const BufferedRecord& record) = 0;

  /// The migrations the target needs before `batch` can be written (create
  /// the table, add columns); empty when it is ready. Throws
  /// std::runtime_error when a change is needed but not allowed by the
  /// config.
  virtual std::vector<Migration> migrations_for(
      std::span<const BufferedRecord> batch) const = 0;

  /// Whether migrations_for() of no records already gives the table the
  /// shape records need (its key type is declared, and fields, if any, can
  /// be added later), so that open() can create it before any record.
  virtual bool creatable_without_records() const = 0;

  /// Whether copy_rows() can write records straight into the target: every
  /// column is then computed here rather than by SQL from a staged record.
  virtual bool copies_rows() const = 0;

  /// COPYs `records` straight into the target, one row each. Only when
  /// copies_rows().
  virtual void copy_rows(pqxx::transaction_base& tx,
                         std::span<const BufferedRecord> records) const = 0;

  /// The target's key column, and how it is computed from `s`.
  virtual TargetColumn key() const = 0;

  /// Every other column written, and how.
  virtual std::vector<TargetColumn> values() const = 0;
};

}  // namespace rdconnect::postgres_sink
