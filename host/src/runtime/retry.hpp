// Repeating a call that failed with a retriable Error, with exponential
// backoff, for as long as the connector's error policy allows.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>

#include <spdlog/spdlog.h>

#include "common/backoff.hpp"
#include "common/error.hpp"
#include "config/host_config.hpp"

namespace rdconnect::runtime {

class Retrier {
 public:
  using Clock = std::chrono::steady_clock;

  /// Each retry adds 1 to `retries` (a connector's metric) when given.
  Retrier(std::string who, const config::ErrorPolicy& policy,
          std::atomic<uint64_t>* retries = nullptr)
      : who_(std::move(who)),
        timeout_(policy.retry_timeout_ms),
        max_delay_(policy.retry_max_delay_ms),
        retries_(retries) {}

  /// Run `call` until it returns. A retriable Error is logged and retried
  /// until `stop` is requested or the policy's retry timeout has passed
  /// since the first attempt began (as Kafka Connect's
  /// errors.retry.timeout); then, as for any other exception, the error
  /// propagates.
  template <typename Call>
  auto run(std::stop_token stop, Call&& call) const {
    Backoff backoff(std::chrono::milliseconds(100), max_delay_);
    const Clock::time_point give_up_at = deadline();
    while (true) {
      try {
        return call();
      } catch (const Error& error) {
        if (!error.is_retriable() || stop.stop_requested()) throw;
        if (Clock::now() >= give_up_at) {
          throw Error::fatal(
              std::string(error.what()) + " (still failing after " +
              std::to_string(timeout_.count()) + " ms of retries)");
        }
        spdlog::warn("[{}] {}; retrying", who_, error.what());
        if (retries_ != nullptr) {
          retries_->fetch_add(1, std::memory_order_relaxed);
        }
        wait_unless_stopped(
            stop,
            std::min(backoff.next(),
                     std::chrono::duration_cast<std::chrono::milliseconds>(
                         give_up_at - Clock::now())));
      }
    }
  }

  /// When run() would give up if it started now.
  Clock::time_point deadline() const { return Clock::now() + timeout_; }

 private:
  std::string who_;
  std::chrono::milliseconds timeout_;
  std::chrono::milliseconds max_delay_;
  std::atomic<uint64_t>* retries_;
};

}  // namespace rdconnect::runtime
