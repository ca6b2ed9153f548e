// Kafka offsets kept in PostgreSQL next to the data, written in the same
// transaction as the rows they describe: that is what makes the sink
// exactly-once.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "identifier.hpp"
#include "migrations.hpp"

namespace rdconnect::postgres_sink {

/// (topic, partition).
using PartitionKey = std::pair<std::string, int32_t>;

/// The offsets table "<schema>".rdconnect_offsets: (connector, target_table,
/// topic, kafka_partition) -> next_offset, the offset of the next record to
/// write into that target table. Keyed by the target too: offsets say what
/// one table holds, so a connector pointed at another table starts it from
/// scratch rather than resume from the old table's offsets.
class OffsetStore {
 public:
  OffsetStore(const TableName& target, std::string connector);

  /// Creates the offsets table, then keys it by target table.
  std::vector<Migration> migrations() const;

  const TableName& table() const { return table_; }
  /// The value of target_table in this store's rows: the quoted, qualified
  /// target table name.
  const std::string& target() const { return target_; }

  /// Gives this connector's rows from before the offsets were keyed by
  /// table (see migrations()) to the configured target, when that table
  /// exists. Returns how many rows were adopted.
  size_t adopt_untargeted(pqxx::transaction_base& tx) const;

  /// The stored next offsets of `partitions` (those without a row are left
  /// out).
  std::map<PartitionKey, int64_t> read(
      pqxx::transaction_base& tx,
      std::span<const PartitionKey> partitions) const;

  /// Locks the rows of `partitions` (in this order: give them sorted, so
  /// that two writers never wait on each other crosswise) until the
  /// transaction ends, creating those missing at offset 0, and returns
  /// their next offsets as committed by whoever held them last. A second
  /// writer of the same partitions (a zombie after a rebalance) waits here
  /// and then sees what the first one wrote; writers of other partitions
  /// do not wait.
  std::map<PartitionKey, int64_t> lock(
      pqxx::transaction_base& tx,
      std::span<const PartitionKey> partitions) const;

  /// Moves each partition's next offset forward (never backward); the rows
  /// must have been locked by lock() in the same transaction.
  void advance(pqxx::transaction_base& tx,
               const std::map<PartitionKey, int64_t>& next_offsets) const;

 private:
  TableName table_;
  std::string target_;
  std::string connector_;
};

}  // namespace rdconnect::postgres_sink
