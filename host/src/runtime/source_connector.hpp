// Runs one source connector: its plugin instance, its idempotent producer
// and the thread that moves records from one to the other.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"
#include "partition/partitioner.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/plugin_host.hpp"

namespace rdconnect::runtime {

class SourceConnector {
 public:
  /// `partition_count` is the count of the connector's topic, known once the
  /// host has ensured the topic exists.
  SourceConnector(PreparedSource prepared, const kafka::Properties& kafka,
                  int32_t partition_count);
  ~SourceConnector();
  SourceConnector(const SourceConnector&) = delete;
  SourceConnector& operator=(const SourceConnector&) = delete;

  void start();
  /// Stop polling the plugin; records already handed over are still
  /// delivered (and acknowledged) before the thread ends.
  void request_stop();
  void join();

  const std::string& name() const { return prepared_.config.name; }
  const ConnectorStatus& status() const { return status_; }

 private:
  void run(std::stop_token stop);
  /// True when the plugin finished, false when stopped.
  bool produce_loop(std::stop_token stop, void* instance);
  void produce(const rdc_source_record& record);
  std::optional<int32_t> choose_partition(const rdc_source_record& record,
                                          const std::string& topic);
  int32_t partition_count_of(const std::string& topic);
  void reject(const rdc_source_record& record, std::string reason);
  void serve_deliveries(int timeout_ms);
  void ack_deliveries(void* instance);
  void drain(void* instance);
  void check_fatal_producer_error();

  static void on_delivery(rd_kafka_t* client, const rd_kafka_message_t* message,
                          void* opaque);

  PreparedSource prepared_;
  kafka::Properties kafka_;
  std::unique_ptr<partition::Partitioner> partitioner_;
  std::map<std::string, int32_t> partition_counts_;
  PluginHost plugin_host_;
  kafka::ClientPtr producer_;
  // Delivery reports gathered by on_delivery (on this connector's thread,
  // inside rd_kafka_poll) until the next ack() call. Reasons for records
  // rejected before producing live in rejection_reasons_ until then.
  std::vector<rdc_delivery> pending_acks_;
  std::deque<std::string> rejection_reasons_;
  ConnectorStatus status_;
  std::jthread thread_;
};

}  // namespace rdconnect::runtime
