// Which plugin call a thread is in and since when, so that the supervisor
// can report a plugin that blocks (a flush() that never returns).
#pragma once

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

namespace rdconnect::runtime {

class CallWatch {
 public:
  using Clock = std::chrono::steady_clock;

  /// Marks the watched thread as inside `call` for the scope's lifetime.
  class Scope {
   public:
    Scope(CallWatch& watch, const char* call) : watch_(watch) {
      watch_.call_.store(call);
      watch_.started_.store(Clock::now().time_since_epoch().count());
    }
    ~Scope() { watch_.started_.store(kIdle); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    CallWatch& watch_;
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
};

}  // namespace rdconnect::runtime
