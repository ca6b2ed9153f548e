// The real PostgreSQL that scripts/services.sh started, seen by tests
// through their own connection.
#pragma once

#include <memory>
#include <string>

#include <pqxx/pqxx>

namespace rdconnect::testing {

/// PG_DSN from the environment. Throws when it is unset, which fails the
/// test: tests never skip a missing database.
std::string postgres_dsn();

/// A new connection to PG_DSN.
std::unique_ptr<pqxx::connection> connect_postgres();

/// Run one query and return the single value it yields, as text.
std::string query_value(const std::string& sql);

/// A schema no other test run uses, created empty; dropped (cascade) on
/// destruction.
class ScratchSchema {
 public:
  explicit ScratchSchema(const std::string& prefix);
  ~ScratchSchema();
  ScratchSchema(const ScratchSchema&) = delete;
  ScratchSchema& operator=(const ScratchSchema&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace rdconnect::testing
