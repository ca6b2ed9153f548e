// One incarnation of a sink connector: `tasks` consumers in one group, each
// with its own plugin instance and thread.
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "kafka/client_config.hpp"
#include "runtime/connector.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/dead_letter_queue.hpp"
#include "runtime/join_order.hpp"
#include "runtime/sink_task.hpp"

namespace rdconnect::runtime {

/// The consumer properties of a sink: the host's defaults, [kafka], the
/// sink's [sink.kafka], and what the host must control (group, commits).
kafka::Properties sink_consumer_properties(const kafka::Properties& kafka,
                                           const config::SinkConfig& sink);

class SinkConnector : public Connector {
 public:
  /// `prepared` and `status` outlive this object; `dead_letters` may be
  /// null. `flush_at_end`: flush as soon as every partition is read to its
  /// end (see SinkTask), for runs that stop once caught up.
  SinkConnector(const PreparedSink& prepared, const kafka::Properties& kafka,
                ConnectorStatus& status,
                std::shared_ptr<DeadLetterQueue> dead_letters,
                bool flush_at_end);
  ~SinkConnector() override;
  SinkConnector(const SinkConnector&) = delete;
  SinkConnector& operator=(const SinkConnector&) = delete;

  void start() override;
  void request_stop() override;
  /// Waits for every task; the connector is STOPPED unless a task failed.
  void join() override;
  std::optional<std::string> blocked_call(
      std::chrono::milliseconds limit) const override;
  bool restart_task(int task) override;

 private:
  std::unique_ptr<SinkTask> make_task(int task);

  const PreparedSink& prepared_;
  kafka::Properties consumer_properties_;
  ConnectorStatus& status_;
  std::shared_ptr<DeadLetterQueue> dead_letters_;
  bool flush_at_end_;
  // Before tasks_: the tasks refer to it.
  JoinOrder join_order_;
  std::vector<std::unique_ptr<SinkTask>> tasks_;
};

}  // namespace rdconnect::runtime
