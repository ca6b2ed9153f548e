#include "postgres_test_db.hpp"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "kafka_test_cluster.hpp"

namespace rdconnect::testing {

std::string postgres_dsn() {
  const char* dsn = std::getenv("PG_DSN");
  if (dsn == nullptr || *dsn == '\0') {
    throw std::runtime_error(
        "PG_DSN is not set: start PostgreSQL with `scripts/services.sh up` and "
        "export the output of `scripts/services.sh env` (scripts/test.sh does "
        "both)");
  }
  return dsn;
}

std::unique_ptr<pqxx::connection> connect_postgres() {
  return std::make_unique<pqxx::connection>(postgres_dsn());
}

std::string query_value(const std::string& sql) {
  auto connection = connect_postgres();
  pqxx::nontransaction tx(*connection);
  const pqxx::result result = tx.exec(sql);
  if (result.size() != 1 || result.columns() != 1) {
    throw std::runtime_error("expected one value from: " + sql);
  }
  return result[0][0].is_null() ? "" : result[0][0].c_str();
}

ScratchSchema::ScratchSchema(const std::string& prefix) {
  name_ = unique_name(prefix);
  // Schema names are identifiers: keep them lowercase and underscore-only.
  std::replace(name_.begin(), name_.end(), '-', '_');
  auto connection = connect_postgres();
  pqxx::nontransaction tx(*connection);
  tx.exec("CREATE SCHEMA " + tx.quote_name(name_));
}

ScratchSchema::~ScratchSchema() {
  try {
    auto connection = connect_postgres();
    pqxx::nontransaction tx(*connection);
    tx.exec("DROP SCHEMA IF EXISTS " + tx.quote_name(name_) + " CASCADE");
  } catch (const std::exception&) {
    // A test that stopped the server leaves the schema; the throwaway
    // cluster is deleted by scripts/services.sh down anyway.
  }
}

}  // namespace rdconnect::testing
