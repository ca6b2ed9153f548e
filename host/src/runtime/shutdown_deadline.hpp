// A deadline on stopping: a librdkafka client can block for ever in
// rd_kafka_destroy (a deleted topic, an unreachable coordinator), and a
// host that hangs on the way out is worse than one that exits 1 saying why.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace rdconnect::runtime {

/// Armed on construction; if it is not destroyed within `timeout`, it logs
/// what the host was still waiting for and ends the process with exit
/// code 1. Thread-safe.
class ShutdownDeadline {
 public:
  explicit ShutdownDeadline(std::chrono::milliseconds timeout);
  ~ShutdownDeadline();
  ShutdownDeadline(const ShutdownDeadline&) = delete;
  ShutdownDeadline& operator=(const ShutdownDeadline&) = delete;

  /// What stopping is busy with now ("stopping sink 'orders'"), for the
  /// report should the deadline pass.
  void set_step(std::string step);

 private:
  void watch();

  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::string step_ = "stopping";
  std::thread thread_;
};

}  // namespace rdconnect::runtime
