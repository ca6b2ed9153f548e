#include "offset_store.hpp"

namespace rdconnect::postgres_sink {

OffsetStore::OffsetStore(const std::string& schema, std::string connector)
    : table_{schema, "rdconnect_offsets"}, connector_(std::move(connector)) {}

Migration OffsetStore::migration() const {
  return {.id = "rdconnect_offsets:0001",
          .description = "create the offsets table of exactly-once sinks",
          .sql = "CREATE TABLE " + table_.quoted() +
                 " (connector text NOT NULL, topic text NOT NULL,"
                 " kafka_partition integer NOT NULL,"
                 " next_offset bigint NOT NULL,"
                 " updated_at timestamptz NOT NULL DEFAULT now(),"
                 " PRIMARY KEY (connector, topic, kafka_partition))"};
}

std::map<PartitionKey, int64_t> OffsetStore::read(
    pqxx::transaction_base& tx,
    std::span<const PartitionKey> partitions) const {
  std::map<PartitionKey, int64_t> offsets;
  const std::string query = "SELECT next_offset FROM " + table_.quoted() +
                            " WHERE connector = $1 AND topic = $2"
                            " AND kafka_partition = $3";
  for (const auto& [topic, partition] : partitions) {
    const pqxx::result rows =
        tx.exec_params(query, connector_, topic, partition);
    if (!rows.empty()) {
      offsets[{topic, partition}] = rows[0][0].as<int64_t>();
    }
  }
  return offsets;
}

void OffsetStore::lock(pqxx::transaction_base& tx) const {
  tx.exec_params("SELECT 1 FROM " + table_.quoted() +
                     " WHERE connector = $1"
                     " ORDER BY topic, kafka_partition FOR UPDATE",
                 connector_);
}

void OffsetStore::advance(
    pqxx::transaction_base& tx,
    const std::map<PartitionKey, int64_t>& next_offsets) const {
  const std::string upsert =
      "INSERT INTO " + table_.quoted() +
      " AS stored (connector, topic, kafka_partition, next_offset)"
      " VALUES ($1, $2, $3, $4)"
      " ON CONFLICT (connector, topic, kafka_partition) DO UPDATE"
      " SET next_offset = GREATEST(stored.next_offset, EXCLUDED.next_offset),"
      " updated_at = now()";
  for (const auto& [partition, next_offset] : next_offsets) {
    tx.exec_params0(upsert, connector_, partition.first, partition.second,
                    next_offset);
  }
}

}  // namespace rdconnect::postgres_sink
