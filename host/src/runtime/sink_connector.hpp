// Runs one sink connector: `tasks` consumers in one group, each with its
// own plugin instance.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/group_lag.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/sink_task.hpp"

namespace rdconnect::runtime {

class SinkConnector {
 public:
  SinkConnector(PreparedSink prepared, const kafka::Properties& kafka);
  ~SinkConnector();
  SinkConnector(const SinkConnector&) = delete;
  SinkConnector& operator=(const SinkConnector&) = delete;

  void start();
  void request_stop();
  /// Waits for every task; the connector is STOPPED unless a task failed.
  void join();

  const std::string& name() const { return prepared_.config.name; }
  const ConnectorStatus& status() const { return status_; }

  /// Ask the cluster how far the group is behind the end of the topics,
  /// and publish it in status().metrics.lag. nullopt when unknown.
  std::optional<int64_t> refresh_lag();

 private:
  PreparedSink prepared_;
  kafka::Properties consumer_properties_;
  ConnectorStatus status_;
  std::vector<std::unique_ptr<SinkTask>> tasks_;
  std::unique_ptr<kafka::GroupLag> lag_;
};

}  // namespace rdconnect::runtime
