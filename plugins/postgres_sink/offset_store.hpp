// Kafka offsets kept in PostgreSQL next to the data, written in the same
// transaction as the rows they describe: that is what makes the sink
// exactly-once.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>

#include <pqxx/pqxx>

#include "identifier.hpp"
#include "migrations.hpp"

namespace rdconnect::postgres_sink {

/// (topic, partition).
using PartitionKey = std::pair<std::string, int32_t>;

/// The offsets table "<schema>".rdconnect_offsets: (connector, topic,
/// kafka_partition) -> next_offset, the offset of the next record to write.
class OffsetStore {
 public:
  OffsetStore(const std::string& schema, std::string connector);

  /// Creates the offsets table.
  Migration migration() const;

  const TableName& table() const { return table_; }
  const std::string& connector() const { return connector_; }

  /// The stored next offsets of `partitions` (those without a row are left
  /// out).
  std::map<PartitionKey, int64_t> read(
      pqxx::transaction_base& tx,
      std::span<const PartitionKey> partitions) const;

  /// Locks this connector's rows until the transaction ends, so that a
  /// second writer of the same partitions (a zombie after a rebalance) waits
  /// and then sees what this one committed.
  void lock(pqxx::transaction_base& tx) const;

  /// Moves each partition's next offset forward (never backward).
  void advance(pqxx::transaction_base& tx,
               const std::map<PartitionKey, int64_t>& next_offsets) const;

 private:
  TableName table_;
  std::string connector_;
};

}  // namespace rdconnect::postgres_sink
