#include "runtime/progress_reporter.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace rdconnect::runtime {

ProgressReporter::ProgressReporter(std::vector<Connector> connectors,
                                   std::chrono::milliseconds interval)
    : connectors_(std::move(connectors)),
      interval_(interval),
      last_report_(Clock::now()) {}

void ProgressReporter::maybe_report(const std::function<void()>& before_report,
                                    bool force) {
  const Clock::time_point now = Clock::now();
  const auto elapsed = now - last_report_;
  if (!force && elapsed < interval_) return;
  before_report();
  const double seconds =
      std::max(std::chrono::duration<double>(elapsed).count(), 1e-3);
  for (const Connector& connector : connectors_) {
    const uint64_t records = connector.status->metrics.records.load();
    const uint64_t previous = last_records_[connector.name];
    spdlog::info(
        "{}", format_line(connector, records,
                          static_cast<double>(records - previous) / seconds));
    last_records_[connector.name] = records;
  }
  last_report_ = now;
}

std::string ProgressReporter::format_line(const Connector& connector,
                                          uint64_t records,
                                          double records_per_second) {
  const ConnectorStatus& status = *connector.status;
  std::string line =
      fmt::format("{} {} {} records={} ({:.0f}/s) errors={}", connector.kind,
                  connector.name, state_name(status.state()), records,
                  records_per_second, status.metrics.record_errors.load());
  const int64_t lag = status.metrics.lag.load();
  if (connector.kind == "sink") {
    line += lag >= 0 ? fmt::format(" lag={}", lag) : " lag=?";
  }
  if (const uint64_t dead = status.metrics.dead_lettered.load(); dead > 0) {
    line += fmt::format(" dead_lettered={}", dead);
  }
  if (const uint32_t restarts = status.metrics.restarts.load(); restarts > 0) {
    line += fmt::format(" restarts={}", restarts);
  }
  const ConnectorState state = status.state();
  if (state == ConnectorState::failed || state == ConnectorState::restarting) {
    line += " reason: " + status.failure_reason();
  }
  return line;
}

}  // namespace rdconnect::runtime
