#include "runtime/reload_outcome.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace rdconnect::runtime {

std::string summary(const ReloadOutcome& outcome) {
  if (!outcome.applied) {
    return fmt::format("reload of {} refused, nothing changed: {}",
                       outcome.config, outcome.error);
  }
  std::vector<std::string> restarted;
  for (const RestartedConnector& connector : outcome.restarted) {
    restarted.push_back(fmt::format("{} ({})", connector.name,
                                    fmt::join(connector.reasons, ", ")));
  }
  std::string line = fmt::format(
      "reloaded {}: added [{}], removed [{}], restarted [{}], unchanged [{}]",
      outcome.config, fmt::join(outcome.added, ", "),
      fmt::join(outcome.removed, ", "), fmt::join(restarted, "; "),
      fmt::join(outcome.unchanged, ", "));
  if (!outcome.host_settings_not_applied.empty()) {
    line += fmt::format("; [host] {} changed and take effect at the next start",
                        fmt::join(outcome.host_settings_not_applied, ", "));
  }
  for (const FailedConnector& connector : outcome.failed) {
    line += fmt::format("; '{}' could not start: {}", connector.name,
                        connector.error);
  }
  return line;
}

}  // namespace rdconnect::runtime
