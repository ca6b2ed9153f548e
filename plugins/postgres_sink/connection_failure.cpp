#include "connection_failure.hpp"

#include <algorithm>
#include <string_view>

#include <pqxx/except>

namespace rdconnect::postgres_sink {
namespace {

using namespace std::chrono_literals;

constexpr auto kFirstDelay = std::chrono::milliseconds(100);
constexpr auto kMaxDelay = std::chrono::seconds(30);

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

}  // namespace

FailureKind classify(const std::exception& error) {
  if (dynamic_cast<const pqxx::broken_connection*>(&error) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&error)) {
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

ReconnectBackoff::Clock::duration ReconnectBackoff::wait_left(
    Clock::time_point now) const {
  return std::max(next_attempt_ - now, Clock::duration::zero());
}

void ReconnectBackoff::failed(Clock::time_point now) {
  delay_ = delay_ == Clock::duration::zero()
               ? Clock::duration(kFirstDelay)
               : std::min<Clock::duration>(delay_ * 2, kMaxDelay);
  next_attempt_ = now + delay_;
}

void ReconnectBackoff::succeeded() {
  delay_ = Clock::duration::zero();
  next_attempt_ = {};
}

}  // namespace rdconnect::postgres_sink
