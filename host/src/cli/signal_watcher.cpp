#include "cli/signal_watcher.hpp"

#include <csignal>
#include <cstdlib>
#include <ctime>

#include <spdlog/spdlog.h>

namespace rdconnect::cli {
namespace {

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  // Blocked and watched rather than left to its default, which would end
  // the host with no message and no flush.
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void SignalWatcher::block_signals() {
  const sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

SignalWatcher::SignalWatcher(std::function<void(int signal)> on_stop)
    : on_stop_(std::move(on_stop)),
      thread_([this](std::stop_token stop) { watch(stop); }) {}

void SignalWatcher::watch(std::stop_token stop) {
  const sigset_t set = stop_signals();
  // A short timeout lets the thread notice that the host is done.
  const timespec tick{0, 200'000'000};
  int received = 0;
  while (!stop.stop_requested()) {
    const int signal = sigtimedwait(&set, nullptr, &tick);
    if (signal < 0) continue;
    if (signal == SIGHUP) {
      spdlog::warn("SIGHUP received; reload is not supported yet, ignoring");
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
