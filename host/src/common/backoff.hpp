// Exponential backoff for retriable failures, and a wait that a stop request
// cuts short.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace rdconnect {

/// 100 ms, 200 ms, 400 ms ... capped at `max`.
class Backoff {
 public:
  explicit Backoff(
      std::chrono::milliseconds initial = std::chrono::milliseconds(100),
      std::chrono::milliseconds max = std::chrono::seconds(10))
      : max_(max), next_(initial) {}

  std::chrono::milliseconds next() {
    const std::chrono::milliseconds delay = next_;
    next_ = std::min(next_ * 2, max_);
    return delay;
  }

 private:
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

/// Wait up to `delay`; returns false at once when `stop` is requested, so a
/// backoff never delays shutdown.
inline bool wait_unless_stopped(std::stop_token stop,
                                std::chrono::milliseconds delay) {
  std::mutex mutex;
  std::condition_variable_any wakeup;
  std::unique_lock lock(mutex);
  wakeup.wait_for(lock, stop, delay, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace rdconnect
