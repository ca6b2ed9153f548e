#include "offset_store.hpp"

namespace rdconnect::postgres_sink {

namespace {

// 0001 left its primary key unnamed: PostgreSQL calls it
// rdconnect_offsets_pkey unless a relation of that name already existed
// in the schema, so the name is looked up rather than assumed. A PL/pgSQL
// block, as the name is known only to the server.
std::string replace_primary_key(const std::string& table) {
  return "DECLARE t regclass := " + quote_literal(table) +
         "; pk name; BEGIN"
         " SELECT conname INTO STRICT pk FROM pg_constraint"
         " WHERE conrelid = t AND contype = 'p';"
         " EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I,"
         " ADD PRIMARY KEY (connector, target_table, topic, kafka_partition)',"
         " t, pk); END";
}

// The one row of a connector's partition for its target table; $1 to $4 are
// connector, target table, topic and partition.
constexpr const char* kPartitionRow =
    " WHERE connector = $1 AND target_table = $2"
    " AND topic = $3 AND kafka_partition = $4";

}  // namespace

OffsetStore::OffsetStore(const TableName& target, std::string connector)
    : table_{target.schema, "rdconnect_offsets"},
      target_(target.quoted()),
      connector_(std::move(connector)) {}

// 0002 cannot know in SQL which table a connector was writing (nothing
// records it), so rows from before it get the marker '' and
// adopt_untargeted() decides at the connector's next open(). The default is
// dropped afterwards: every later row must name its table.
std::vector<Migration> OffsetStore::migrations() const {
  const std::string table = table_.quoted();
  return {
      {.id = "rdconnect_offsets:0001",
       .description = "create the offsets table of exactly-once sinks",
       .sql = "CREATE TABLE " + table +
              " (connector text NOT NULL, topic text NOT NULL,"
              " kafka_partition integer NOT NULL,"
              " next_offset bigint NOT NULL,"
              " updated_at timestamptz NOT NULL DEFAULT now(),"
              " PRIMARY KEY (connector, topic, kafka_partition))"},
      {.id = "rdconnect_offsets:0002",
       .description = "key the offsets by target table ('' for older rows)",
       .sql = "ALTER TABLE " + table +
              " ADD COLUMN target_table text NOT NULL DEFAULT '';"
              " ALTER TABLE " +
              table +
              " ALTER COLUMN target_table DROP DEFAULT;"
              " DO " +
              quote_literal(replace_primary_key(table))},
  };
}

// Before 0002 a connector had offsets only after writing a batch, which
// needs its table: a row without a table can belong to the configured
// target only when that table exists. When it does not, it surely was not
// the one written (the bug 0002 fixes: a new table resumed from the old
// one's offsets and was never written), so the rows are left alone and the
// new table is written from the start. The one case left to the operator:
// upgrading and switching to another existing table in the same step.
size_t OffsetStore::adopt_untargeted(pqxx::transaction_base& tx) const {
  return tx
      .exec_params0("UPDATE " + table_.quoted() +
                        " AS old SET target_table = $2"
                        " WHERE old.connector = $1 AND old.target_table = ''"
                        " AND to_regclass($2) IS NOT NULL"
                        " AND NOT EXISTS (SELECT 1 FROM " +
                        table_.quoted() +
                        " o WHERE o.connector = $1 AND o.target_table = $2"
                        " AND o.topic = old.topic"
                        " AND o.kafka_partition = old.kafka_partition)",
                    connector_, target_)
      .affected_rows();
}

std::map<PartitionKey, int64_t> OffsetStore::read(
    pqxx::transaction_base& tx,
    std::span<const PartitionKey> partitions) const {
  std::map<PartitionKey, int64_t> offsets;
  const std::string query =
      "SELECT next_offset FROM " + table_.quoted() + kPartitionRow;
  for (const auto& [topic, partition] : partitions) {
    const pqxx::result rows =
        tx.exec_params(query, connector_, target_, topic, partition);
    if (!rows.empty()) {
      offsets[{topic, partition}] = rows[0][0].as<int64_t>();
    }
  }
  return offsets;
}

// FOR UPDATE waits for a writer holding the row and then reads the row as
// that writer committed it. A missing row is created first (a concurrent
// creator makes ON CONFLICT wait for it, then do nothing), so that there is
// a row to lock. Rows are locked in the order given: callers pass them
// sorted (a std::map's order), so two writers never wait on each other in a
// cycle.
std::map<PartitionKey, int64_t> OffsetStore::lock(
    pqxx::transaction_base& tx,
    std::span<const PartitionKey> partitions) const {
  const std::string select = "SELECT next_offset FROM " + table_.quoted() +
                             kPartitionRow + " FOR UPDATE";
  const std::string create =
      "INSERT INTO " + table_.quoted() +
      " (connector, target_table, topic, kafka_partition, next_offset)"
      " VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING";
  std::map<PartitionKey, int64_t> offsets;
  for (const auto& [topic, partition] : partitions) {
    pqxx::result rows =
        tx.exec_params(select, connector_, target_, topic, partition);
    if (rows.empty()) {
      tx.exec_params0(create, connector_, target_, topic, partition);
      rows = tx.exec_params(select, connector_, target_, topic, partition);
    }
    offsets[{topic, partition}] = rows.at(0)[0].as<int64_t>();
  }
  return offsets;
}

void OffsetStore::advance(
    pqxx::transaction_base& tx,
    const std::map<PartitionKey, int64_t>& next_offsets) const {
  const std::string update =
      "UPDATE " + table_.quoted() +
      " SET next_offset = GREATEST(next_offset, $5), updated_at = now()" +
      kPartitionRow;
  for (const auto& [partition, next_offset] : next_offsets) {
    tx.exec_params0(update, connector_, target_, partition.first,
                    partition.second, next_offset);
  }
}

}  // namespace rdconnect::postgres_sink
