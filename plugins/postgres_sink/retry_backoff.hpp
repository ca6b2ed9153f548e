// When to try again something that failed: reconnecting, or the upsert's
// straight COPY after a key conflict.
#pragma once

#include <chrono>

namespace rdconnect::postgres_sink {

/// Spaces out attempts after failures: 100 ms, doubling up to 30 s; the
/// first attempt, and the first after a success, is due at once.
class RetryBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  /// How long until the next attempt is due (zero when it is).
  Clock::duration wait_left(Clock::time_point now) const;
  void failed(Clock::time_point now);
  void succeeded();

 private:
  Clock::duration delay_ = Clock::duration::zero();
  Clock::time_point next_attempt_{};
};

}  // namespace rdconnect::postgres_sink
