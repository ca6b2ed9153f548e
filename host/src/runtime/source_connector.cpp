#include "runtime/source_connector.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "common/error.hpp"
#include "common/log_context.hpp"
#include "runtime/plugin_call.hpp"
#include "runtime/retry.hpp"
#include "runtime/source_poll.hpp"

namespace rdconnect::runtime {
namespace {

// Idempotence with acks=all is what makes "delivered" mean "stored once,
// in order"; the operator may still override either in the config.
kafka::Properties producer_properties(const kafka::Properties& kafka,
                                      const kafka::Properties& overrides) {
  kafka::Properties defaults = {
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
      {"statistics.interval.ms", kafka::kStatisticsIntervalMs}};
  return kafka::merge(kafka::merge(defaults, kafka), overrides);
}

}  // namespace

SourceConnector::SourceConnector(const PreparedSource& prepared,
                                 const kafka::Properties& kafka,
                                 int32_t partition_count,
                                 ConnectorStatus& status,
                                 std::shared_ptr<DeadLetterQueue> dead_letters)
    : prepared_(prepared),
      kafka_(producer_properties(kafka, prepared_.config.kafka)),
      status_(status),
      failures_(prepared_.config.name, prepared_.config.errors.tolerance,
                std::move(dead_letters), status.metrics),
      partitioner_(partition::make_partitioner(prepared_.config.partitioner)),
      plugin_host_(prepared_.config.name,
                   // Sources have no consumed records to report.
                   [](const rdc_record&, const char*) {
                     return std::optional<std::string>(
                         "a source has no consumed records to report");
                   }),
      watch_(&status.metrics.plugin_calls) {
  partition_count_ = partition_count;
}

SourceConnector::~SourceConnector() {
  request_stop();
  join();
}

void SourceConnector::start() {
  status_.set_state(ConnectorState::running);
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void SourceConnector::request_stop() { thread_.request_stop(); }

void SourceConnector::join() {
  if (thread_.joinable()) thread_.join();
}

std::optional<std::string> SourceConnector::blocked_call(
    std::chrono::milliseconds limit) const {
  return watch_.running_longer_than(limit);
}

void SourceConnector::run(std::stop_token stop) {
  const LogContextScope log_context({.connector = name()});
  const PluginCaller call{*prepared_.plugin, watch_};
  const rdc_source_api& api = prepared_.plugin->source();
  void* instance = nullptr;
  try {
    producer_ = std::make_unique<kafka::Producer>(
        kafka_, client_name(),
        [this](const kafka::Message& message) { on_delivery(message); },
        status_.kafka_clients.track(client_name(), kafka_));

    const Retrier retrier(name(), prepared_.config.errors,
                          &status_.metrics.retries);
    // Before the plugin exists: a schema the registry refuses stops the
    // connector before any record is taken from it.
    retrier.run(stop, [&] {
      encoder_ = std::make_unique<schema::ValueEncoder>(prepared_.config);
    });
    const std::vector<rdc_config_value> config = prepared_.plugin_config.as_c();
    retrier.run(stop, [&] {
      call("create", api.create, plugin_host_.c_host(), config.data(),
           config.size(), &instance);
    });
    status_.mark_ran();
    const bool finished = produce_loop(stop, instance);
    drain(instance);
    status_.set_state(finished ? ConnectorState::finished
                               : ConnectorState::stopped);
  } catch (const std::exception& error) {
    // Records still queued in the producer are dropped with it: the plugin
    // never saw them acknowledged, so a restarted source produces them again.
    spdlog::error("[{}] source failed: {}", name(), error.what());
    status_.fail(error.what(), is_permanent(error));
  }
  // Deliveries reported by a flush that a failure cut short.
  publish_delivered();
  if (instance != nullptr) api.destroy(instance);
  producer_.reset();
  status_.kafka_clients.remove(client_name());
}

bool SourceConnector::produce_loop(std::stop_token stop, void* instance) {
  const PluginCaller call{*prepared_.plugin, watch_};
  const Retrier retrier(name(), prepared_.config.errors,
                        &status_.metrics.retries);
  while (!stop.stop_requested()) {
    serve_deliveries(0);
    ack_deliveries(instance);
    if (stop_reason_) throw Error::fatal(*stop_reason_);
    // Paused: the plugin is not asked for more; deliveries still arrive.
    if (status_.paused()) {
      serve_deliveries(kSourcePollTimeoutMs);
      continue;
    }
    rdc_poll_result result{};
    retrier.run(stop, [&] {
      call("poll", prepared_.plugin->source().poll, instance,
           kSourceMaxRecordsPerPoll, kSourcePollTimeoutMs, &result);
    });
    // Even when a stop came during the poll: the plugin handed these over,
    // and expects each to be delivered or failed.
    uint64_t bytes = 0;
    for (size_t i = 0; i < result.record_count; ++i) {
      bytes += result.records[i].key.len + result.records[i].value.len;
      produce(result.records[i]);
    }
    status_.metrics.records_in.fetch_add(result.record_count,
                                         std::memory_order_relaxed);
    status_.metrics.bytes_in.fetch_add(bytes, std::memory_order_relaxed);
    if (stop_reason_) throw Error::fatal(*stop_reason_);
    if (result.finished) {
      spdlog::info("[{}] source finished; waiting for the last deliveries",
                   name());
      return true;
    }
  }
  return false;
}

void SourceConnector::produce(const rdc_source_record& record) {
  const char* topic =
      record.topic != nullptr ? record.topic : prepared_.config.topic.c_str();
  const std::optional<rdc_bytes> value = value_to_produce(record, topic);
  if (!value) return;
  const std::optional<int32_t> partition = choose_partition(record, topic);
  if (!partition) return;

  // Key and value are copied because the plugin owns the record only until
  // its next poll.
  kafka::Headers headers = copy_headers(record.headers, record.header_count);
  const kafka::OutgoingRecord outgoing{
      .topic = topic,
      .partition = *partition,
      .key = record.key.data,
      .key_size = record.key.len,
      .value = value->data,
      .value_size = value->len,
      .timestamp_ms = record.timestamp_ms,
      .opaque = reinterpret_cast<void*>(record.ack_id)};
  while (true) {
    const kafka::ErrorCode err = producer_->produce(outgoing, headers);
    if (err.ok()) return;
    if (!err.is_queue_full()) {
      reject(record, topic, "produce", err.name(),
             std::string("cannot produce to ") + topic + "[" +
                 std::to_string(*partition) + "]: " + err.text());
      return;
    }
    // Back-pressure: the local queue is full, so serve delivery reports until
    // there is room. Never drop, even when stopping.
    serve_deliveries(kSourcePollTimeoutMs);
    check_fatal_producer_error();
  }
}

// The schema is registered under the connector's own topic only: a record
// for another topic would carry an id its subject does not have.
std::optional<rdc_bytes> SourceConnector::value_to_produce(
    const rdc_source_record& record, const char* topic) {
  if (!encoder_->encodes() || record.value.data == nullptr) return record.value;
  if (config::uses_schema_registry(prepared_.config.value_encoding.format) &&
      std::strcmp(topic, prepared_.config.topic.c_str()) != 0) {
    reject(record, topic, "encode", "OtherTopic",
           "value: the value schema is registered for topic '" +
               prepared_.config.topic + "' only, and the record is for '" +
               topic + "'");
    return std::nullopt;
  }
  auto outcome = encoder_->encode(
      {static_cast<const std::byte*>(record.value.data), record.value.len});
  if (const auto* failure = std::get_if<schema::ConvertFailure>(&outcome)) {
    reject(record, topic, "encode", failure->error_class, failure->message);
    return std::nullopt;
  }
  const auto bytes = std::get<std::span<const std::byte>>(outcome);
  return rdc_bytes{bytes.data(), bytes.size()};
}

std::optional<int32_t> SourceConnector::choose_partition(
    const rdc_source_record& record, const char* topic) {
  if (record.partition != RDC_PARTITION_ANY) return record.partition;
  std::optional<std::string_view> key;
  if (record.key.data != nullptr) {
    key = std::string_view(static_cast<const char*>(record.key.data),
                           record.key.len);
  }
  partition::Partitioner::Choice choice =
      partitioner_->choose(key, partition_count_of(topic));
  if (!choice.error.empty()) {
    reject(record, topic, "partitioner", "PartitionerError",
           "partitioner: " + choice.error);
    return std::nullopt;
  }
  return choice.partition;
}

int32_t SourceConnector::partition_count_of(const char* topic) {
  if (std::strcmp(topic, prepared_.config.topic.c_str()) == 0) {
    return partition_count_;
  }
  const auto found = other_partition_counts_.find(std::string_view(topic));
  if (found != other_partition_counts_.end()) return found->second;
  const std::optional<int32_t> count = producer_->partition_count(topic, 10000);
  if (!count) {
    throw Error::fatal("source record names topic '" + std::string(topic) +
                       "', which does not exist; create it first");
  }
  return other_partition_counts_[topic] = *count;
}

// A record that cannot be produced at all goes by the error policy, and is
// reported to the source as not delivered.
void SourceConnector::reject(const rdc_source_record& record, const char* topic,
                             std::string_view stage,
                             std::string_view error_class, std::string reason) {
  const FailedRecord failed =
      failed_source_record(record, topic, stage, error_class, reason);
  if (std::optional<std::string> stop = failures_.handle(failed)) {
    if (!stop_reason_) stop_reason_ = std::move(stop);
  }
  rejection_reasons_.push_back(std::move(reason));
  pending_acks_.push_back({.ack_id = record.ack_id,
                           .delivered = 0,
                           .partition = RDC_PARTITION_ANY,
                           .offset = -1,
                           .error = rejection_reasons_.back().c_str()});
}

// Runs inside Producer::poll/flush, on this connector's thread.
void SourceConnector::on_delivery(const kafka::Message& message) {
  const bool delivered = message.error().ok();
  if (delivered) {
    status_.metrics.records.fetch_add(1, std::memory_order_relaxed);
    status_.metrics.bytes.fetch_add(message.key_size() + message.value_size(),
                                    std::memory_order_relaxed);
    count_delivered(delivered_, message.topic(), message.partition(), 1);
  } else {
    record_delivery_failure(message);
  }
  pending_acks_.push_back(
      {.ack_id = reinterpret_cast<uint64_t>(message.opaque()),
       .delivered = delivered ? 1 : 0,
       .partition = message.partition(),
       .offset = message.offset(),
       // Error texts are static strings, valid until ack() is done.
       .error = delivered ? nullptr : message.error().text()});
}

// The producer gave up on a record (message.timeout.ms passed, or the
// broker refused it): a per-record failure under the error policy.
void SourceConnector::record_delivery_failure(const kafka::Message& message) {
  const std::string reason = std::string("delivery to ") + message.topic() +
                             "[" + std::to_string(message.partition()) +
                             "] failed: " + message.error().text();
  const FailedRecord failed{.origin_topic = message.topic(),
                            .key = {message.key(), message.key_size()},
                            .value = {message.value(), message.value_size()},
                            .stage = "produce",
                            .error_class = message.error().name(),
                            .message = reason};
  if (std::optional<std::string> stop = failures_.handle(failed)) {
    if (!stop_reason_) stop_reason_ = std::move(stop);
  }
}

void SourceConnector::serve_deliveries(int timeout_ms) {
  producer_->poll(timeout_ms);
  status_.metrics.producer_queue.store(producer_->queued(),
                                       std::memory_order_relaxed);
  publish_delivered();
}

void SourceConnector::publish_delivered() {
  if (std::none_of(delivered_.begin(), delivered_.end(),
                   [](const auto& count) { return count.records > 0; })) {
    return;
  }
  status_.metrics.delivered.update([this](auto& total) {
    for (DeliveredPartition& count : delivered_) {
      if (count.records == 0) continue;
      count_delivered(total, count.topic, count.partition, count.records);
      count.records = 0;
    }
  });
}

void SourceConnector::ack_deliveries(void* instance) {
  if (pending_acks_.empty()) return;
  // The source hears of a failed record once its dead letter is safe.
  failures_.flush();
  // A source without ack() does not track deliveries (ABI 1.3).
  if (prepared_.plugin->source().ack == nullptr) {
    pending_acks_.clear();
    return;
  }
  const PluginCaller call{*prepared_.plugin, watch_};
  try {
    call("ack", prepared_.plugin->source().ack, instance,
         static_cast<const rdc_delivery*>(pending_acks_.data()),
         pending_acks_.size());
  } catch (const Error& error) {
    // An ack cannot be retried meaningfully: the deliveries happened.
    if (!error.is_retriable()) throw;
    spdlog::warn("[{}] {}", name(), error.what());
  }
  pending_acks_.clear();
  rejection_reasons_.clear();
}

// Everything handed to the producer is delivered (or fails for good) before
// the source is destroyed: nothing acknowledged to the plugin is lost.
void SourceConnector::drain(void* instance) {
  auto last_report = std::chrono::steady_clock::now();
  while (producer_->queued() > 0) {
    producer_->flush(1000);
    check_fatal_producer_error();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_report >= std::chrono::seconds(5)) {
      spdlog::info("[{}] waiting for {} records to be acknowledged by Kafka",
                   name(), producer_->queued());
      last_report = now;
    }
  }
  serve_deliveries(0);
  ack_deliveries(instance);
  failures_.flush();
  if (stop_reason_) throw Error::fatal(*stop_reason_);
}

void SourceConnector::check_fatal_producer_error() {
  if (std::optional<std::string> reason = producer_->fatal_error()) {
    throw Error::fatal("producer failed for good: " + *reason);
  }
}

}  // namespace rdconnect::runtime
