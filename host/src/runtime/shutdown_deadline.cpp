#include "runtime/shutdown_deadline.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

namespace rdconnect::runtime {

ShutdownDeadline::ShutdownDeadline(std::chrono::milliseconds timeout)
    : timeout_(timeout), thread_([this] { watch(); }) {}

ShutdownDeadline::~ShutdownDeadline() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_cv_.notify_all();
  thread_.join();
}

void ShutdownDeadline::set_step(std::string step) {
  std::lock_guard lock(mutex_);
  step_ = std::move(step);
}

void ShutdownDeadline::watch() {
  std::unique_lock lock(mutex_);
  if (done_cv_.wait_for(lock, timeout_, [this] { return done_; })) return;
  spdlog::critical(
      "shutdown did not finish within host.shutdown_timeout_ms = {} ms; it "
      "was still {}. Exiting with code 1: offsets not committed by now are "
      "read again on the next start",
      timeout_.count(), step_);
  spdlog::default_logger()->flush();
  // Other threads are stuck: no destructor, no atexit handler may run.
  std::_Exit(1);
}

}  // namespace rdconnect::runtime
