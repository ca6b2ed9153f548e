// SIGINT / SIGTERM / SIGHUP handling on a thread of its own, so that
// shutdown runs as ordinary code rather than inside a signal handler.
#pragma once

#include <functional>
#include <thread>

namespace rdconnect::cli {

class SignalWatcher {
 public:
  /// Block SIGINT, SIGTERM, SIGHUP (and the watcher's wake signal) in the
  /// calling thread; threads
  /// created after this inherit the mask, so only a watcher receives them
  /// (one left pending waits for the next watcher). Call first.
  static void block_signals();

  /// First SIGINT / SIGTERM: `on_stop(signal)` (graceful stop). Second: a
  /// warning that the host is still flushing. Third: exit at once with
  /// status 130. SIGHUP: `on_reload()`, or logged and ignored without one
  /// (a command that has no config to reload).
  explicit SignalWatcher(std::function<void(int signal)> on_stop,
                         std::function<void()> on_reload = {});
  /// Ends the watcher's wait at once and joins it.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

 private:
  void watch(std::stop_token stop);

  std::function<void(int signal)> on_stop_;
  std::function<void()> on_reload_;
  std::jthread thread_;
};

}  // namespace rdconnect::cli
