#include "runtime/sink_connector.hpp"

namespace rdconnect::runtime {
namespace {

// Connectors own their position: auto commit off (the host commits after a
// flush), cooperative-sticky so a rebalance only moves the partitions that
// must move, and a new group starts at the beginning of the topic.
kafka::Properties consumer_properties(const kafka::Properties& kafka,
                                      const config::SinkConfig& sink) {
  kafka::Properties defaults = {
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"auto.offset.reset", "earliest"},
  };
  kafka::Properties merged =
      kafka::merge(kafka::merge(defaults, kafka), sink.kafka);
  merged["group.id"] = sink.group_id;
  merged["enable.auto.commit"] = "false";
  merged["enable.auto.offset.store"] = "false";
  return merged;
}

}  // namespace

SinkConnector::SinkConnector(PreparedSink prepared,
                             const kafka::Properties& kafka)
    : prepared_(std::move(prepared)),
      consumer_properties_(consumer_properties(kafka, prepared_.config)) {}

SinkConnector::~SinkConnector() {
  request_stop();
  join();
}

void SinkConnector::start() {
  lag_ = std::make_unique<kafka::GroupLag>(
      consumer_properties_, prepared_.config.topics, "sink-" + name() + "-lag");
  status_.set_state(ConnectorState::running);
  for (int i = 0; i < prepared_.config.tasks; ++i) {
    tasks_.push_back(std::make_unique<SinkTask>(prepared_, consumer_properties_,
                                                i, status_));
  }
  for (auto& task : tasks_) task->start();
}

void SinkConnector::request_stop() {
  for (auto& task : tasks_) task->request_stop();
}

void SinkConnector::join() {
  for (auto& task : tasks_) task->join();
  if (!tasks_.empty() && status_.state() == ConnectorState::running) {
    status_.set_state(ConnectorState::stopped);
  }
}

std::optional<int64_t> SinkConnector::refresh_lag() {
  if (!lag_) return std::nullopt;
  std::optional<int64_t> lag = lag_->lag(std::chrono::seconds(5));
  status_.metrics.lag.store(lag.value_or(-1));
  return lag;
}

}  // namespace rdconnect::runtime
