#include "runtime/progress_reporter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace rdconnect::runtime {

ProgressReporter::ProgressReporter(const ConnectorRegistry& registry,
                                   std::chrono::milliseconds interval)
    : registry_(registry), interval_(interval), last_report_(Clock::now()) {}

void ProgressReporter::maybe_report(const std::function<void()>& before_report,
                                    bool force) {
  const Clock::time_point now = Clock::now();
  const auto elapsed = now - last_report_;
  if (!force && elapsed < interval_) return;
  before_report();
  const double seconds =
      std::max(std::chrono::duration<double>(elapsed).count(), 1e-3);
  for (const ConnectorSnapshot& connector : registry_.snapshot()) {
    uint64_t& previous = last_records_[connector.name];
    spdlog::info(
        "{}", format_line(
                  connector,
                  static_cast<double>(connector.records - previous) / seconds));
    previous = connector.records;
  }
  last_report_ = now;
}

std::string ProgressReporter::format_line(const ConnectorSnapshot& connector,
                                          double records_per_second) {
  std::string line =
      fmt::format("{} {} {} records={} ({:.0f}/s) errors={}", connector.kind,
                  connector.name, connector.state, connector.records,
                  records_per_second, connector.record_errors);
  if (connector.kind == "sink") {
    line +=
        connector.lag >= 0 ? fmt::format(" lag={}", connector.lag) : " lag=?";
  }
  if (connector.dead_lettered > 0) {
    line += fmt::format(" dead_lettered={}", connector.dead_lettered);
  }
  if (connector.restarts > 0) {
    line += fmt::format(" restarts={}", connector.restarts);
  }
  if (connector.state == "FAILED" || connector.state == "RESTARTING") {
    line += " reason: " + connector.failure_reason;
  }
  return line;
}

}  // namespace rdconnect::runtime
