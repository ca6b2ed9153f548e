// One incarnation of a source connector: its plugin instance, its
// idempotent producer and the thread that moves records from one to the
// other.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "kafka/client_config.hpp"
#include "kafka/message.hpp"
#include "kafka/producer.hpp"
#include "partition/partitioner.hpp"
#include "runtime/call_watch.hpp"
#include "runtime/connector.hpp"
#include "runtime/connector_plan.hpp"
#include "runtime/connector_status.hpp"
#include "runtime/plugin_host.hpp"
#include "runtime/record_failures.hpp"
#include "schema/value_encoder.hpp"

namespace rdconnect::runtime {

class SourceConnector : public Connector {
 public:
  /// `partition_count` is the count of the connector's topic, known once the
  /// host has ensured the topic exists. `prepared` and `status` outlive
  /// this object; `dead_letters` may be null.
  SourceConnector(const PreparedSource& prepared,
                  const kafka::Properties& kafka, int32_t partition_count,
                  ConnectorStatus& status,
                  std::shared_ptr<DeadLetterQueue> dead_letters);
  ~SourceConnector() override;
  SourceConnector(const SourceConnector&) = delete;
  SourceConnector& operator=(const SourceConnector&) = delete;

  void start() override;
  /// Stop polling the plugin; records already handed over are still
  /// delivered (and acknowledged) before the thread ends.
  void request_stop() override;
  void join() override;
  std::optional<std::string> blocked_call(
      std::chrono::milliseconds limit) const override;

 private:
  const std::string& name() const { return prepared_.config.name; }
  /// The producer's name (in its client.id and the metrics).
  std::string client_name() const { return "source-" + name(); }
  void run(std::stop_token stop);
  /// True when the plugin finished, false when stopped.
  bool produce_loop(std::stop_token stop, void* instance);
  void produce(const rdc_source_record& record);
  /// The value to produce for `record` (encoded by value_format), or
  /// nullopt after rejecting the record.
  std::optional<rdc_bytes> value_to_produce(const rdc_source_record& record,
                                            const char* topic);
  std::optional<int32_t> choose_partition(const rdc_source_record& record,
                                          const char* topic);
  int32_t partition_count_of(const char* topic);
  void reject(const rdc_source_record& record, const char* topic,
              std::string_view stage, std::string_view error_class,
              std::string reason);
  void on_delivery(const kafka::Message& message);
  void record_delivery_failure(const kafka::Message& message);
  void serve_deliveries(int timeout_ms);
  void publish_delivered();
  void ack_deliveries(void* instance);
  void drain(void* instance);
  void check_fatal_producer_error();

  const PreparedSource& prepared_;
  kafka::Properties kafka_;
  ConnectorStatus& status_;
  RecordFailures failures_;
  std::unique_ptr<partition::Partitioner> partitioner_;
  // Made in run(), which settles the schema id with the registry first.
  std::unique_ptr<schema::ValueEncoder> encoder_;
  // Partition counts of the topics records name other than the
  // connector's own, whose count is planned (partition_count_).
  int32_t partition_count_;
  std::map<std::string, int32_t, std::less<>> other_partition_counts_;
  PluginHost plugin_host_;
  mutable CallWatch watch_;
  std::unique_ptr<kafka::Producer> producer_;
  // Delivery reports gathered by on_delivery (on this connector's thread,
  // inside Producer::poll) until the next ack() call. Reasons for records
  // rejected before producing live in rejection_reasons_ until then.
  std::vector<rdc_delivery> pending_acks_;
  // Records delivered per partition since publish_delivered() last added
  // them to the connector's counts: one lock per round of reports, not
  // one per record. Entries are kept, at 0, for the next round.
  std::vector<DeliveredPartition> delivered_;
  std::deque<std::string> rejection_reasons_;
  // Set when a rejected record stops the connector (tolerance none).
  std::optional<std::string> stop_reason_;
  std::jthread thread_;
};

}  // namespace rdconnect::runtime
