#include "cli/signal_watcher.hpp"

#include <pthread.h>

#include <csignal>
#include <cstdlib>

#include <spdlog/spdlog.h>

namespace rdconnect::cli {
namespace {

// Sent by the destructor to the watcher's own thread, so that it stops
// waiting at once instead of at a timeout: the host exits as soon as it is
// done.
int wake_signal() { return SIGRTMIN; }

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked and watched rather than left to its default, which would end
  // the host with no message and no flush.
  sigaddset(&set, SIGHUP);
  sigaddset(&set, wake_signal());
  return set;
}

}  // namespace

void SignalWatcher::block_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void(int signal)> on_stop,
                             std::function<void()> on_reload)
    : on_stop_(std::move(on_stop)),
      on_reload_(std::move(on_reload)),
      thread_([this](std::stop_token stop) { watch(stop); }) {}

// A wake signal sent before the thread waits stays pending (it is blocked),
// so the wait after a stop request always returns.
SignalWatcher::~SignalWatcher() {
  thread_.request_stop();
  pthread_kill(thread_.native_handle(), wake_signal());
}

void SignalWatcher::watch(std::stop_token stop) {
  const sigset_t set = stop_signals();
  int received = 0;
  while (!stop.stop_requested()) {
    const int signal = sigwaitinfo(&set, nullptr);
    if (signal < 0 || signal == wake_signal()) continue;
    if (signal == SIGHUP) {
      if (on_reload_) {
        spdlog::info("SIGHUP received: reloading the config");
        on_reload_();
      } else {
        spdlog::warn("SIGHUP received; nothing to reload here, ignoring");
      }
      continue;
    }
    ++received;
    if (received == 1) {
      on_stop_(signal);
    } else if (received == 2) {
      spdlog::warn(
          "still stopping; a third signal exits at once and "
          "uncommitted records will be read again on restart");
    } else {
      spdlog::error("exiting at once");
      std::_Exit(130);
    }
  }
}

}  // namespace rdconnect::cli
