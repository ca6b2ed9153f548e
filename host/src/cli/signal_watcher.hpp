// SIGINT / SIGTERM handling on a thread of its own, so that shutdown runs
// as ordinary code rather than inside a signal handler.
#pragma once

#include <functional>
#include <thread>

namespace rdconnect::cli {

class SignalWatcher {
 public:
  /// Block SIGINT and SIGTERM in the calling thread; threads created after
  /// this inherit the mask, so only the watcher receives them. Call first.
  static void block_signals();

  /// First signal: `on_stop` (graceful stop). Second: a warning that the
  /// host is still flushing. Third: exit at once with status 130.
  explicit SignalWatcher(std::function<void()> on_stop);

 private:
  void watch(std::stop_token stop);

  std::function<void()> on_stop_;
  std::jthread thread_;
};

}  // namespace rdconnect::cli
