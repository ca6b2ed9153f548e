#include "rate_limiter.hpp"

namespace rdconnect::uuid_source {
namespace {

constexpr uint64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

RateLimiter::RateLimiter(int64_t records_per_second, Clock::time_point start)
    : rate_(static_cast<uint64_t>(records_per_second)), start_(start) {}

// Whole seconds and the remainder are scaled separately: rate * elapsed in
// nanoseconds would overflow 64 bits after a few hours at high rates.
uint64_t RateLimiter::due_count(Clock::time_point now) const {
  if (now < start_) return 0;
  const auto elapsed =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now - start_);
  const uint64_t nanos = static_cast<uint64_t>(elapsed.count());
  const uint64_t seconds = nanos / kNanosPerSecond;
  const uint64_t remainder = nanos % kNanosPerSecond;
  return rate_ * seconds + rate_ * remainder / kNanosPerSecond + 1;
}

RateLimiter::Clock::time_point RateLimiter::due_time(uint64_t index) const {
  const uint64_t seconds = index / rate_;
  const uint64_t remainder = index % rate_;
  // Rounded up, so that due_count(due_time(i)) includes record i.
  const uint64_t nanos = (remainder * kNanosPerSecond + rate_ - 1) / rate_;
  return start_ + std::chrono::seconds(seconds) +
         std::chrono::nanoseconds(nanos);
}

}  // namespace rdconnect::uuid_source
