// The periodic one-line status per connector on stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "runtime/connector_registry.hpp"
#include "runtime/connector_snapshot.hpp"

namespace rdconnect::runtime {

class ProgressReporter {
 public:
  /// `registry` outlives the reporter.
  ProgressReporter(const ConnectorRegistry& registry,
                   std::chrono::milliseconds interval);

  /// Log one line per connector when the interval has passed since the last
  /// report (or always when `force`). `before_report` runs first, so that
  /// slow queries (sink lag) happen only when a line is printed.
  void maybe_report(const std::function<void()>& before_report,
                    bool force = false);

  /// "source uuids RUNNING records=10000 (2000/s) errors=0".
  static std::string format_line(const ConnectorSnapshot& connector,
                                 double records_per_second);

 private:
  using Clock = std::chrono::steady_clock;

  const ConnectorRegistry& registry_;
  std::chrono::milliseconds interval_;
  Clock::time_point last_report_;
  std::map<std::string, uint64_t> last_records_;
};

}  // namespace rdconnect::runtime
