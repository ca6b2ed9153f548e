// What happens to a record that failed for good, by the connector's error
// policy: stop the connector (tolerance none) or dead-letter it and go on
// (tolerance all).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/host_config.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/dead_letter_queue.hpp"

namespace rdconnect::runtime {

class RecordFailures {
 public:
  /// `dead_letters` may be null (no dlq_topic): tolerated records are then
  /// only logged and counted.
  RecordFailures(std::string who, config::ErrorTolerance tolerance,
                 std::shared_ptr<DeadLetterQueue> dead_letters,
                 ConnectorMetrics& metrics);

  /// Count and log the failure, then apply the policy. Returns the reason
  /// the connector must stop (tolerance none), or nullopt to go on.
  std::optional<std::string> handle(const FailedRecord& record);

  /// Wait until everything this owner dead-lettered is acknowledged; call
  /// before the offsets of those records are made durable anywhere (the
  /// group's commit, or a sink's own offset store). Throws Error when a
  /// record was not delivered: permanent when the topic refused it.
  void flush();

 private:
  // Sent to the dead-letter topic, not yet acknowledged; counted as
  // dead-lettered once they are.
  uint64_t unacknowledged_ = 0;
  std::string who_;
  config::ErrorTolerance tolerance_;
  std::shared_ptr<DeadLetterQueue> dead_letters_;
  ConnectorMetrics& metrics_;
};

/// "users[1]@42" — or "record 7" style text for a source record without
/// coordinates — used in every message about a record.
std::string describe_origin(const FailedRecord& record);

}  // namespace rdconnect::runtime
