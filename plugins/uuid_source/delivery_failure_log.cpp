#include "delivery_failure_log.hpp"

namespace rdconnect::uuid_source {

DeliveryFailureLog::DeliveryFailureLog(Host host, Clock::duration interval)
    : host_(host), interval_(interval) {}

void DeliveryFailureLog::add(std::string_view error) {
  ++pending_;
  latest_error_.assign(error);
}

void DeliveryFailureLog::log_if_due(Clock::time_point now) {
  if (pending_ == 0) return;
  if (last_logged_ && now - *last_logged_ < interval_) return;
  log_pending();
  last_logged_ = now;
}

void DeliveryFailureLog::log_pending() {
  if (pending_ == 0) return;
  host_.warn(std::to_string(pending_) +
             " record(s) were not delivered and will not be produced again "
             "(latest error: " +
             latest_error_ + ")");
  pending_ = 0;
}

}  // namespace rdconnect::uuid_source
