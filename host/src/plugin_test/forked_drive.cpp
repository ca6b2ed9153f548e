#include "plugin_test/forked_drive.hpp"

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <optional>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "plugin_test/checked_call.hpp"

namespace rdconnect::plugin_test {
namespace {

constexpr std::chrono::milliseconds kWaitStep(20);
// The child's own exit codes, unlike any a plugin calling exit() would
// likely choose (0 above all), so that such an exit is told apart.
constexpr int kChildPassed = 70;
constexpr int kChildFailed = 71;

// The watch lives in memory both processes share; its atomics are
// lock-free, so they work across the fork.
class SharedWatch {
 public:
  SharedWatch() {
    memory_ = mmap(nullptr, sizeof(runtime::CallWatch), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory_ == MAP_FAILED) {
      throw std::system_error(errno, std::generic_category(), "mmap");
    }
    watch_ = new (memory_) runtime::CallWatch();
  }
  ~SharedWatch() {
    watch_->~CallWatch();
    munmap(memory_, sizeof(runtime::CallWatch));
  }
  SharedWatch(const SharedWatch&) = delete;
  SharedWatch& operator=(const SharedWatch&) = delete;

  runtime::CallWatch& get() { return *watch_; }

 private:
  void* memory_ = nullptr;
  runtime::CallWatch* watch_ = nullptr;
};

[[noreturn]] void run_child(
    const std::function<int(runtime::CallWatch&)>& drive,
    runtime::CallWatch& watch) {
  int code = kChildFailed;
  try {
    code = drive(watch) == 0 ? kChildPassed : kChildFailed;
  } catch (const std::exception& error) {
    std::cout << "rdconnect-plugin-test: " << error.what() << '\n';
  }
  std::cout.flush();
  std::fflush(nullptr);
  // Not exit(): the plugin's static destructors and atexit handlers are
  // not part of the drive, and must not run twice (here and in the parent).
  _exit(code);
}

std::string where(const runtime::CallWatch& watch) {
  const std::optional<std::string> call = running_call(watch);
  return call ? "during " + *call : std::string("between calls");
}

int report_signal(int signal, const runtime::CallWatch& watch, Report& report) {
  report.breach(running_call(watch).value_or("the drive"),
                fmt::format("the process died of signal {} ({}) {}: a crash, "
                            "abort or panic in a plugin kills the host and "
                            "every connector in it",
                            signal, strsignal(signal), where(watch)),
                "return RDC_FATAL with a reason instead (Rust: catch_unwind "
                "around each exported function, or build with panic=unwind "
                "and catch there); run the plugin under a debugger or "
                "sanitizer to find the fault");
  return 1;
}

int report_exit(int code, const runtime::CallWatch& watch, Report& report) {
  report.breach(running_call(watch).value_or("the drive"),
                fmt::format("the process exited with code {} {} (did the "
                            "plugin call exit()?)",
                            code, where(watch)),
                "never end the process from a plugin: return RDC_FATAL");
  return 1;
}

int report_timeout(pid_t child, std::chrono::milliseconds timeout,
                   const std::string& call, Report& report) {
  kill(child, SIGKILL);
  while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
  }
  report.breach(call,
                fmt::format("did not return within {} ms; the harness killed "
                            "it (the host would report the connector stuck "
                            "and could not shut down)",
                            timeout.count()),
                "keep each call within a few seconds: bound every wait with "
                "a timeout and return RDC_RETRY when it passes (see Threads "
                "in plugin.h); raise --call-timeout-ms if it is only slow");
  return 1;
}

}  // namespace

int run_forked(const std::function<int(runtime::CallWatch&)>& drive,
               std::chrono::milliseconds call_timeout, Report& report) {
  SharedWatch shared;
  // Buffered output would be printed by both processes.
  std::cout.flush();
  std::fflush(nullptr);
  const pid_t child = fork();
  if (child < 0)
    throw std::system_error(errno, std::generic_category(), "fork");
  if (child == 0) run_child(drive, shared.get());
  while (true) {
    int status = 0;
    const pid_t done = waitpid(child, &status, WNOHANG);
    if (done < 0 && errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    if (done == child) {
      if (WIFSIGNALED(status)) {
        return report_signal(WTERMSIG(status), shared.get(), report);
      }
      const int code = WEXITSTATUS(status);
      if (code == kChildPassed) return 0;
      if (code == kChildFailed) return 1;
      return report_exit(code, shared.get(), report);
    }
    if (auto call = shared.get().running_longer_than(call_timeout)) {
      return report_timeout(child, call_timeout, *call, report);
    }
    std::this_thread::sleep_for(kWaitStep);
  }
}

}  // namespace rdconnect::plugin_test
