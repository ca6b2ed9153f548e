// Which plugin call a thread is in and since when, so that the supervisor
// can report a plugin that blocks (a flush() that never returns); and, when
// given CallDurations, how long each call took (the latency metrics).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "runtime/call_durations.hpp"

namespace rdconnect::runtime {

class CallWatch {
 public:
  using Clock = std::chrono::steady_clock;

  /// `durations` (which outlives the watch) gets every call's duration;
  /// none when null.
  explicit CallWatch(CallDurations* durations = nullptr)
      : durations_(durations) {}

  /// Marks the watched thread as inside `call` for the scope's lifetime.
  class Scope {
   public:
    Scope(CallWatch& watch, const char* call)
        : watch_(watch), call_(call), started_(Clock::now()) {
      watch_.call_.store(call);
      watch_.started_.store(started_.time_since_epoch().count());
    }
    ~Scope() {
      watch_.started_.store(kIdle);
      if (watch_.durations_ != nullptr) {
        watch_.durations_->observe(call_, Clock::now() - started_);
      }
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CallWatch& watch_;
    const char* call_;
    Clock::time_point started_;
  };

  /// "flush()" when the current call has run longer than `limit`.
  std::optional<std::string> running_longer_than(
      std::chrono::milliseconds limit) const {
    const Clock::rep started = started_.load();
    if (started == kIdle) return std::nullopt;
    const auto running =
        Clock::now() - Clock::time_point(Clock::duration(started));
    if (running <= limit) return std::nullopt;
    return std::string(call_.load()) + "()";
  }

 private:
  static constexpr Clock::rep kIdle = 0;
  std::atomic<Clock::rep> started_{kIdle};
  std::atomic<const char*> call_{""};
  CallDurations* durations_;
};

}  // namespace rdconnect::runtime
