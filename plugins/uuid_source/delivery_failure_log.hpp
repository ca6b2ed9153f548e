// Rate-limited warnings about records the broker did not take.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <rdconnect/plugin.hpp>

namespace rdconnect::uuid_source {

/// Collects delivery failures and logs them as warnings, at most one line per
/// interval, so that a broker outage does not flood the log: each line gives
/// the number of failures since the previous line and the latest error.
class DeliveryFailureLog {
 public:
  using Clock = std::chrono::steady_clock;

  DeliveryFailureLog(Host host, Clock::duration interval);

  /// Counts one failure; logs nothing by itself.
  void add(std::string_view error);

  /// Logs the failures counted since the last line, unless a line was logged
  /// less than an interval before `now`.
  void log_if_due(Clock::time_point now);

  /// Logs the failures counted since the last line, if any.
  void log_pending();

 private:
  Host host_;
  Clock::duration interval_;
  std::optional<Clock::time_point> last_logged_;
  uint64_t pending_ = 0;
  std::string latest_error_;
};

}  // namespace rdconnect::uuid_source
