// Spacing records evenly in time.
#pragma once

#include <chrono>
#include <cstdint>

namespace rdconnect::uuid_source {

/// Releases records at an average rate: record number i (counting from 0) is
/// due i / rate seconds after the start. A consumer that falls behind gets
/// the overdue records at once, so the long-run rate stays exact.
class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  /// Highest accepted rate; it keeps the arithmetic within 64 bits.
  static constexpr int64_t kMaxRate = 1'000'000'000;

  /// records_per_second must be in [1, kMaxRate].
  RateLimiter(int64_t records_per_second, Clock::time_point start);

  /// How many records, in total since the start, are due at `now`.
  uint64_t due_count(Clock::time_point now) const;

  /// When record number `index` is due.
  Clock::time_point due_time(uint64_t index) const;

 private:
  uint64_t rate_;
  Clock::time_point start_;
};

}  // namespace rdconnect::uuid_source
