// A connector's status at one moment, copied out of the registry so that
// readers on other threads (HTTP) hold no reference into a live connector.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <prometheus/client_metric.h>

#include "config/plugin_config.hpp"
#include "runtime/kafka_clients.hpp"
#include "runtime/partition_figures.hpp"
#include "runtime/record_stage.hpp"

namespace rdconnect::runtime {

struct TaskSnapshot {
  int id = 0;
  std::string state;  ///< as ConnectorSnapshot::state
  /// Sinks: the partitions the task holds now.
  std::vector<AssignedPartition> partitions;
};

struct ConnectorSnapshot {
  std::string name;
  std::string kind;  ///< "source" | "sink"
  /// RUNNING | PAUSED | FAILED | RESTARTING | STOPPED | FINISHED | CREATED.
  std::string state;
  bool paused = false;
  /// Why it failed last (kept after a restart); empty when it never did.
  std::string failure_reason;
  std::string plugin;
  std::string plugin_version;
  std::string plugin_file;
  /// Source: its topic; sink: the topics it reads.
  std::vector<std::string> topics;
  std::string group_id;  ///< sinks
  uint64_t records = 0;
  uint64_t bytes = 0;
  uint64_t record_errors = 0;
  std::array<uint64_t, kRecordStages.size()> record_errors_by_stage{};
  uint64_t dead_lettered = 0;
  uint32_t restarts = 0;
  uint64_t retries = 0;
  int64_t lag = -1;  ///< sinks: records not yet committed; -1 unknown
  /// Sinks: per partition, as of the last progress report.
  std::vector<PartitionLagSample> partition_lags;
  uint64_t records_in = 0;
  uint64_t bytes_in = 0;
  int64_t producer_queue = 0;  ///< sources
  /// The Kafka clients running now and what their statistics said last.
  std::vector<KafkaClients::Entry> kafka_clients;
  /// Histograms, by plugin call name; and the sinks' commits and batches.
  std::vector<std::pair<std::string, prometheus::ClientMetric>> plugin_calls;
  prometheus::ClientMetric commit_seconds;
  prometheus::ClientMetric put_batch_records;
  std::vector<TaskSnapshot> tasks;
  /// The plugin's settings, secrets masked.
  std::vector<config::ResolvedPluginConfig::Entry> config;
};

}  // namespace rdconnect::runtime
