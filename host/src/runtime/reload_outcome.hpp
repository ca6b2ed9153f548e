// What a config reload did: the difference it applied, connector by
// connector, or why it refused the new config and changed nothing. POST
// /reload answers with it; SIGHUP logs it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rdconnect::runtime {

struct RestartedConnector {
  std::string name;
  /// The keys whose change restarted it ("config.dsn", "plugin", "tasks",
  /// "plugin library"), never their values.
  std::vector<std::string> reasons;
};

struct FailedConnector {
  std::string name;
  std::string error;
};

struct ReloadOutcome {
  /// The file read.
  std::string config;
  /// false: the new config was refused whole and nothing changed.
  bool applied = false;
  /// Why it was refused (file:line:col for each config problem).
  std::string error;
  std::vector<std::string> added;
  std::vector<std::string> removed;
  std::vector<RestartedConnector> restarted;
  std::vector<std::string> unchanged;
  /// [host] keys that differ: they take effect at the next start.
  std::vector<std::string> host_settings_not_applied;
  /// Added or restarted connectors that could not be started (their
  /// topics could not be prepared): not running, left out of the
  /// registry until a later reload adds them again.
  std::vector<FailedConnector> failed;

  bool successful() const { return applied && failed.empty(); }
};

/// One line for the log: "added [a], removed [], restarted [b (tasks)],
/// unchanged [c]", or why it was refused.
std::string summary(const ReloadOutcome& outcome);

/// How reloads went since the host started, for the metrics.
struct ReloadCounts {
  uint64_t reloads = 0;
  uint64_t failures = 0;
  /// 1 after a successful reload or none, 0 after a failed one.
  bool last_successful = true;
};

}  // namespace rdconnect::runtime
