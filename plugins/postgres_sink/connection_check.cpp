#include "connection_check.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

namespace rdconnect::postgres_sink {
namespace {

struct ConnectionDeleter {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Connection = std::unique_ptr<PGconn, ConnectionDeleter>;
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's message spans lines ("...failed: Connection refused\n\tIs the
// server running..."): the host's report gives it one.
std::string reason_of(const Dsn& dsn, const char* message) {
  const std::string text = dsn.redact(message == nullptr ? "" : message);
  std::string reason;
  for (const char c : text) {
    const bool blank = c == '\n' || c == '\t' || c == ' ';
    if (blank && (reason.empty() || reason.back() == ' ')) continue;
    reason += blank ? ' ' : c;
  }
  if (!reason.empty() && reason.back() == ' ') reason.pop_back();
  return reason;
}

// The DSN is expanded first (expand_dbname), so that the timeout given
// after it overrides any connect_timeout it holds.
Connection log_in(const Dsn& dsn, std::chrono::milliseconds timeout) {
  const std::string seconds = std::to_string(std::max<int64_t>(
      2, std::chrono::ceil<std::chrono::seconds>(timeout).count()));
  const std::array<const char*, 4> keywords = {"dbname", "connect_timeout",
                                               "client_encoding", nullptr};
  const std::array<const char*, 4> values = {dsn.text().c_str(),
                                             seconds.c_str(), "UTF8", nullptr};
  Connection connection(PQconnectdbParams(keywords.data(), values.data(), 1));
  if (connection == nullptr) throw std::runtime_error("out of memory");
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error(
        "cannot log in to " + dsn.description() + ": " +
        reason_of(dsn, PQerrorMessage(connection.get())) +
        "; check the dsn (host, port, user, password, dbname) and that the "
        "server accepts connections from this machine (pg_hba.conf)");
  }
  return connection;
}

}  // namespace

std::string check_database(const PostgresSinkOptions& options,
                           std::chrono::milliseconds timeout) {
  const Connection connection = log_in(options.dsn, timeout);
  const std::string target = options.target.quoted();
  const std::array<const char*, 1> parameters = {target.c_str()};
  const Result result(PQexecParams(
      connection.get(),
      "SELECT split_part(current_setting('server_version'), ' ', 1), "
      "to_regclass($1) IS NOT NULL",
      1, nullptr, parameters.data(), nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) {
    throw std::runtime_error(
        "logged in to " + options.dsn.description() +
        ", but could not look for the table " + target + ": " +
        reason_of(options.dsn, PQresultErrorMessage(result.get())));
  }
  const std::string version = PQgetvalue(result.get(), 0, 0);
  const bool exists = std::string_view(PQgetvalue(result.get(), 0, 1)) == "t";
  if (!exists && !options.auto_create) {
    throw std::runtime_error(
        "PostgreSQL " + version + " at " + options.dsn.description() +
        " has no table " + target +
        ", and auto_create = false; create it, or set auto_create = true");
  }
  return "PostgreSQL " + version + " at " + options.dsn.description() +
         "; table " + target +
         (exists ? " exists" : " does not exist yet and will be created");
}

}  // namespace rdconnect::postgres_sink
