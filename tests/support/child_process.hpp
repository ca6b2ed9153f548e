// A child process for tests: the rdconnect binary run the way an operator
// runs it, with its output captured in files.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rdconnect::testing {

class ChildProcess {
 public:
  /// Start `argv` with `extra_env` added to this process's environment;
  /// stdout and stderr go to `output_prefix`.out / .err.
  ChildProcess(std::vector<std::string> argv,
               std::map<std::string, std::string> extra_env,
               const std::filesystem::path& output_prefix);
  ~ChildProcess();  // kills the process if still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void send_signal(int signal) const;

  /// The exit code (128+N for death by signal N), or nullopt if it is still
  /// running at `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  std::string stdout_text() const;
  std::string stderr_text() const;
  /// The last `lines` lines of stderr, for failure messages.
  std::string stderr_tail(size_t lines = 40) const;
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

/// Poll `condition` every 50 ms until it holds or `timeout` passes; returns
/// whether it held.
template <typename Condition>
bool wait_for(Condition condition, std::chrono::milliseconds timeout);

}  // namespace rdconnect::testing

#include "child_process_inl.hpp"
