#include "connection_failure.hpp"

#include <string_view>

#include <pqxx/except>
#include <rdconnect/excerpt.hpp>

namespace rdconnect::postgres_sink {
namespace {

FailureKind classify_sqlstate(std::string_view state) {
  // Class 08: connection exception. 57P01..57P03: the server is shutting
  // down, crashed, or not accepting connections yet.
  if (state.starts_with("08") || state == "57P01" || state == "57P02" ||
      state == "57P03") {
    return FailureKind::kConnectionLost;
  }
  // Class 40: transaction rollback (deadlock, serialization failure);
  // class 53: insufficient resources (too many connections, disk full).
  if (state.starts_with("40") || state.starts_with("53")) {
    return FailureKind::kTransient;
  }
  return FailureKind::kPermanent;
}

// libpq reports a refused login only as text (there is no SQLSTATE before
// a session exists). These are the server's messages for class 28 and for
// unknown roles and databases, in the server's default English.
bool is_refused_login(std::string_view message) {
  constexpr std::string_view kRefusals[] = {"password authentication failed",
                                            "authentication failed for user",
                                            "no pg_hba.conf entry",
                                            "role \"",
                                            "database \"",
                                            "permission denied for database",
                                            "password is required",
                                            "SSL is required"};
  for (std::string_view refusal : kRefusals) {
    if (message.find(refusal) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

FailureKind classify(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error)) {
    return is_refused_login(error.what()) ? FailureKind::kPermanent
                                          : FailureKind::kConnectionLost;
  }
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error)) {
    return FailureKind::kConnectionLost;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    return classify_sqlstate(sql->sqlstate());
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&error)) {
    return dynamic_cast<const pqxx::statement_completion_unknown*>(&error)
               ? FailureKind::kConnectionLost
               : FailureKind::kTransient;
  }
  return FailureKind::kPermanent;
}

bool refused_for_its_data(const std::exception& error) {
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error);
  if (sql == nullptr) return false;
  const std::string& state = sql->sqlstate();
  return state.starts_with("22") || state.starts_with("54") ||
         state == "23502" || state == "23514";
}

std::string primary_message(const std::exception& error) {
  std::string_view text = error.what();
  text = text.substr(0, text.find('\n'));
  for (std::string_view prefix : {"ERROR:", "FATAL:"}) {
    if (text.starts_with(prefix)) text.remove_prefix(prefix.size());
  }
  while (text.starts_with(' ')) text.remove_prefix(1);
  std::string message = message_excerpt(text, 200);
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&error)) {
    if (!sql->sqlstate().empty())
      message += " (SQLSTATE " + sql->sqlstate() + ")";
  }
  return message;
}

}  // namespace rdconnect::postgres_sink
