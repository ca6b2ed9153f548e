// Schema migrations done by the sink itself, in the spirit of alembic: every
// change to the database (the sink's own tables, creating or evolving the
// target table) is a numbered migration recorded in
// "<schema>".rdconnect_migrations, applied once, even when several hosts
// start at the same moment.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <pqxx/pqxx>

namespace rdconnect::postgres_sink {

/// Name of the table that records applied migrations, in the sink's schema.
inline constexpr std::string_view kMigrationsTable = "rdconnect_migrations";

struct Migration {
  /// Unique within the schema, e.g. "rdconnect_offsets:0001"; a migration
  /// whose id is recorded is never applied again.
  std::string id;
  std::string description;
  /// The statements, run in one transaction.
  std::string sql;
};

/// "<subject>:<number>", the number zero-padded to 4 digits, e.g.
/// "orders:0002": the id of the subject's number-th migration.
std::string migration_id(std::string_view subject, int number);

/// The highest number of the migrations recorded for `subject` in `schema`
/// (see migration_id), or 0 when there is none.
int last_migration_number(pqxx::transaction_base& tx, const std::string& schema,
                          std::string_view subject);

/// The pg_advisory_xact_lock key that serialises migrations of `schema`
/// across hosts: FNV-1a of "rdconnect:<schema>", as a signed 64-bit value.
int64_t migration_lock_key(std::string_view schema);

/// Applies, in order, each migration whose id is not recorded yet, each in
/// its own transaction holding the schema's advisory lock; creates the
/// schema and the migrations table first when they are missing. Returns how
/// many were applied.
size_t apply_migrations(pqxx::connection& connection, const std::string& schema,
                        std::span<const Migration> migrations);

}  // namespace rdconnect::postgres_sink
