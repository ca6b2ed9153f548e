#include "retry_backoff.hpp"

#include <algorithm>

namespace rdconnect::postgres_sink {
namespace {

constexpr auto kFirstDelay = std::chrono::milliseconds(100);
constexpr auto kMaxDelay = std::chrono::seconds(30);

}  // namespace

RetryBackoff::Clock::duration RetryBackoff::wait_left(
    Clock::time_point now) const {
  return std::max(next_attempt_ - now, Clock::duration::zero());
}

void RetryBackoff::failed(Clock::time_point now) {
  delay_ = delay_ == Clock::duration::zero()
               ? Clock::duration(kFirstDelay)
               : std::min<Clock::duration>(delay_ * 2, kMaxDelay);
  next_attempt_ = now + delay_;
}

void RetryBackoff::succeeded() {
  delay_ = Clock::duration::zero();
  next_attempt_ = {};
}

}  // namespace rdconnect::postgres_sink
