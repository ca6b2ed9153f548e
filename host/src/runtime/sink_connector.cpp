#include "runtime/sink_connector.hpp"

namespace rdconnect::runtime {

// Connectors own their position: auto commit off (the host commits after a
// flush), and a new group starts at the beginning of the topic. The
// prefetch queue is bounded so that a slow sink holds at most that much
// memory per task while its partitions wait.
//
// cooperative-sticky, as Kafka Connect's incremental rebalancing: a task
// joining or leaving moves only the partitions that must move, and the
// others keep flowing. (Debian 12's librdkafka 2.0.2 aborted such a
// consumer after a coordinator loss, librdkafka #4312; rdconnect links
// 2.8.0, and the broker-loss fault test proves the recovery.) The tasks
// handle both protocols; set partition.assignment.strategy in [sink.kafka]
// to choose the eager "range".
//
// Fetch settings, measured on 2M records of 100 B (issue 8):
// - fetch.queue.backoff.ms: when the prefetch queue is full, librdkafka
//   waits this long before fetching again (1000 ms by default). A sink
//   drains its queue in far less, so a second's pause starves it: 10 ms
//   made consumption 4-5x faster.
// - queued.min.messages: librdkafka keeps fetching until each partition has
//   this many messages queued (100000 by default), whatever the byte bound.
//   With small records and their per-message overhead that held ~100 MB for
//   one task; 10000 holds ~40 MB and reads as fast.
// - max.partition.fetch.bytes: one fetch brings up to this much of a
//   partition, compressed, whatever is queued already, and its messages
//   stay in memory until consumed. 1 MiB (the default) of lz4'd small
//   records is ~30k messages a partition on top of the queue; 256 KiB took
//   a one-task sink of 1M records from 37 to 28 MB peak RSS, as fast.
// - fetch.wait.max.ms: how long the broker holds a fetch of a partition with
//   nothing new. 100 ms instead of 500 bounds the latency of a quiet topic
//   (and start to first record) at the cost of a few more small requests.
// - heartbeat.interval.ms: a member learns of a rebalance at its next
//   heartbeat, and a cooperative rebalance takes two rounds, the moved
//   partitions unread in between. At Kafka's 3000 ms a second task took
//   4.4-7 s to get its partitions; at 500 ms, 1.5 s, for two heartbeats a
//   second per task (the session timeout stays 45 s).
kafka::Properties sink_consumer_properties(const kafka::Properties& kafka,
                                           const config::SinkConfig& sink) {
  kafka::Properties defaults = {
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"auto.offset.reset", "earliest"},
      {"queued.max.messages.kbytes", "16384"},
      {"queued.min.messages", "10000"},
      {"max.partition.fetch.bytes", "262144"},
      {"fetch.queue.backoff.ms", "10"},
      {"fetch.wait.max.ms", "100"},
      {"heartbeat.interval.ms", "500"},
      {"statistics.interval.ms", kafka::kStatisticsIntervalMs},
  };
  kafka::Properties merged =
      kafka::merge(kafka::merge(defaults, kafka), sink.kafka);
  merged["group.id"] = sink.group_id;
  merged["enable.auto.commit"] = "false";
  merged["enable.auto.offset.store"] = "false";
  return merged;
}

SinkConnector::SinkConnector(const PreparedSink& prepared,
                             const kafka::Properties& kafka,
                             ConnectorStatus& status,
                             std::shared_ptr<DeadLetterQueue> dead_letters,
                             bool flush_at_end)
    : prepared_(prepared),
      consumer_properties_(sink_consumer_properties(kafka, prepared.config)),
      status_(status),
      dead_letters_(std::move(dead_letters)),
      flush_at_end_(flush_at_end) {
  // The end of each partition is what a task that flushes there waits for.
  if (flush_at_end_) consumer_properties_["enable.partition.eof"] = "true";
}

SinkConnector::~SinkConnector() {
  request_stop();
  join();
}

void SinkConnector::start() {
  status_.set_state(ConnectorState::running);
  for (int i = 0; i < prepared_.config.tasks; ++i) {
    tasks_.push_back(make_task(i));
  }
  // All at once: each creates its plugin instance and consumer now, and
  // those after the first wait for it to join the group (JoinOrder).
  for (auto& task : tasks_) task->start();
}

std::unique_ptr<SinkTask> SinkConnector::make_task(int task) {
  return std::make_unique<SinkTask>(prepared_, consumer_properties_, task,
                                    status_, join_order_, dead_letters_,
                                    flush_at_end_);
}

// The task leaves the group as at the end of a run; the new one joins it,
// and the group moves partitions as for any member leaving and joining.
bool SinkConnector::restart_task(int task) {
  std::unique_ptr<SinkTask>& current = tasks_.at(static_cast<size_t>(task));
  current->request_stop();
  current->join();
  current = make_task(task);
  current->start();
  return true;
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

std::optional<std::string> SinkConnector::blocked_call(
    std::chrono::milliseconds limit) const {
  for (const auto& task : tasks_) {
    if (auto call = task->blocked_call(limit)) return call;
  }
  return std::nullopt;
}

}  // namespace rdconnect::runtime
