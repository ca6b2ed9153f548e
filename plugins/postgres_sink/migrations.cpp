#include "migrations.hpp"

#include "identifier.hpp"

namespace rdconnect::postgres_sink {
namespace {

void ensure_bookkeeping(pqxx::work& tx, const std::string& schema) {
  const pqxx::row exists = tx.exec_params1(
      "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", schema);
  if (!exists[0].as<bool>()) {
    tx.exec0("CREATE SCHEMA " + quote_identifier(schema));
  }
  const TableName migrations{schema, std::string(kMigrationsTable)};
  tx.exec0("CREATE TABLE IF NOT EXISTS " + migrations.quoted() +
           " (id text PRIMARY KEY, description text NOT NULL,"
           " applied_at timestamptz NOT NULL DEFAULT now())");
}

bool recorded(pqxx::work& tx, const TableName& migrations,
              const std::string& id) {
  return !tx.exec_params(
                "SELECT 1 FROM " + migrations.quoted() + " WHERE id = $1", id)
              .empty();
}

// One transaction: lock, check, apply, record. The lock is released by the
// commit, so whoever waited sees the migration recorded.
bool apply(pqxx::connection& connection, const std::string& schema,
           const Migration& migration) {
  pqxx::work tx(connection);
  tx.exec_params("SELECT pg_advisory_xact_lock($1)",
                 migration_lock_key(schema));
  ensure_bookkeeping(tx, schema);
  const TableName migrations{schema, std::string(kMigrationsTable)};
  if (recorded(tx, migrations, migration.id)) return false;
  tx.exec0(migration.sql);
  tx.exec_params0("INSERT INTO " + migrations.quoted() +
                      " (id, description) VALUES ($1, $2)",
                  migration.id, migration.description);
  tx.commit();
  return true;
}

}  // namespace

std::string migration_id(std::string_view subject, int number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 4) digits.insert(0, 4 - digits.size(), '0');
  return std::string(subject) + ":" + digits;
}

int last_migration_number(pqxx::transaction_base& tx, const std::string& schema,
                          std::string_view subject) {
  const TableName migrations{schema, std::string(kMigrationsTable)};
  if (!tx.exec_params1("SELECT to_regclass($1) IS NOT NULL",
                       migrations.quoted())[0]
           .as<bool>()) {
    return 0;
  }
  // Compares the prefix as text: a LIKE pattern would take a '%' or '_' in
  // the subject as a wildcard.
  const std::string prefix = std::string(subject) + ":";
  return tx
      .exec_params1(
          "SELECT coalesce(max(substr(id, length($1) + 1)::integer),"
          " 0) FROM " +
              migrations.quoted() +
              " WHERE left(id, length($1)) = $1"
              " AND substr(id, length($1) + 1) ~ '^[0-9]{1,9}$'",
          prefix)[0]
      .as<int>();
}

int64_t migration_lock_key(std::string_view schema) {
  uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<uint8_t>(c);
      hash *= 1099511628211ULL;
    }
  };
  mix("rdconnect:");
  mix(schema);
  return static_cast<int64_t>(hash);
}

size_t apply_migrations(pqxx::connection& connection, const std::string& schema,
                        std::span<const Migration> migrations) {
  size_t applied = 0;
  for (const Migration& migration : migrations) {
    if (apply(connection, schema, migration)) ++applied;
  }
  return applied;
}

}  // namespace rdconnect::postgres_sink
