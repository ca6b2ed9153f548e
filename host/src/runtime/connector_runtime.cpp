#include "runtime/connector_runtime.hpp"

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "kafka/topic_admin.hpp"
#include "runtime/lag_reading.hpp"
#include "runtime/retry.hpp"
#include "runtime/sink_connector.hpp"
#include "runtime/source_connector.hpp"

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kAdminTimeout = 30s;
constexpr auto kSupervisionTick = 200ms;
// Lag queries ask the cluster about every partition: not on every tick.
constexpr auto kCaughtUpCheckInterval = 1s;

// Start-up steps are retried while the cluster is unreachable, for up to a
// minute; then the host gives up with exit code 1.
constexpr auto kStartupTimeout = 60s;
// How often a running source's topic is checked for a changed partition
// count, and how long one check may take.
constexpr auto kPartitionCheckInterval = 10s;
constexpr auto kPartitionCheckTimeout = 2s;

Retrier startup_retrier(const char* what) {
  config::ErrorPolicy policy;
  policy.retry_timeout_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(kStartupTimeout)
          .count();
  policy.retry_max_delay_ms = 5000;
  return Retrier(what, policy);
}

config::TopicCreation dead_letter_topic(const config::ErrorPolicy& policy) {
  config::TopicCreation creation;
  creation.partitions = policy.dlq_partitions;
  creation.replication_factor = policy.dlq_replication_factor;
  return creation;
}

std::optional<int64_t> max_message_bytes(
    const std::map<std::string, std::string>& topic_configs) {
  const auto found = topic_configs.find("max.message.bytes");
  if (found == topic_configs.end()) return std::nullopt;
  try {
    return std::stoll(found->second);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

ConnectorRuntime::ConnectorRuntime(ConnectorPlan plan, RunOptions options)
    : plan_(std::move(plan)),
      options_(std::move(options)),
      registry_([this] { connector_changed(); }) {
  registry_.set_reloader([this] { return reload(); });
}

ConnectorRuntime::~ConnectorRuntime() { stop_connectors(); }

int ConnectorRuntime::run() {
  try {
    create_topics();
  } catch (const Error&) {
    if (!stop_source_.stop_requested()) throw;
    spdlog::warn("stopped during start-up, before any connector ran");
    return 1;
  }
  start_connectors();
  while (!wait_for_stop(kSupervisionTick)) {
    if (take_reload_request()) registry_.reload();
    registry_.serve_requests();
    for (const auto& connector : registry_.connectors()) {
      connector->supervisor->supervise();
    }
    check_source_partitions();
    progress_->maybe_report([this] { refresh_lags(true); });
    if (options_.until_caught_up && caught_up()) {
      spdlog::info("every source finished and every sink caught up; stopping");
      break;
    }
    if (everything_ended()) break;
  }
  registry_.stop_serving();
  stop_connectors();
  set_shutdown_step("reporting the final progress");
  progress_->maybe_report([this] { refresh_lags(); }, true);
  const int code = exit_code();
  set_shutdown_step("releasing the Kafka clients");
  return code;
}

void ConnectorRuntime::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  stop_source_.request_stop();
  stop_requested_cv_.notify_all();
}

void ConnectorRuntime::request_reload() {
  {
    std::lock_guard lock(mutex_);
    reload_requested_ = true;
  }
  stop_requested_cv_.notify_all();
}

bool ConnectorRuntime::take_reload_request() {
  std::lock_guard lock(mutex_);
  return std::exchange(reload_requested_, false);
}

void ConnectorRuntime::connector_changed() {
  {
    std::lock_guard lock(mutex_);
    connector_changed_ = true;
  }
  stop_requested_cv_.notify_all();
}

// Wakes early when a connector changed, so that a finished run ends within
// milliseconds of its last commit rather than at the next tick.
bool ConnectorRuntime::wait_for_stop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  stop_requested_cv_.wait_for(lock, timeout, [this] {
    return stop_requested_ || connector_changed_ || reload_requested_;
  });
  changed_since_check_ |= std::exchange(connector_changed_, false);
  return stop_requested_;
}

// Topics exist, with the partition counts routing depends on, before any
// connector starts.
void ConnectorRuntime::create_topics() {
  if (plan_.sources.empty() && plan_.sinks.empty()) return;
  make_admin();
  // Every start-up step together gets kStartupTimeout, not each attempt.
  admin_->set_deadline(std::chrono::steady_clock::now() + kStartupTimeout);
  for (PreparedSource& source : plan_.sources) {
    registry_.add(prepare_source(std::move(source)));
  }
  for (PreparedSink& sink : plan_.sinks) {
    registry_.add(prepare_sink(std::move(sink)));
  }
  // The registry holds every connector's config from here on.
  plan_.sources.clear();
  plan_.sinks.clear();
  admin_->set_deadline(std::nullopt);
}

void ConnectorRuntime::make_admin() {
  admin_ = std::make_unique<kafka::TopicAdmin>(
      plan_.config.kafka, kAdminTimeout, stop_source_.get_token());
}

std::unique_ptr<RegisteredConnector> ConnectorRuntime::prepare_source(
    PreparedSource source) {
  const std::string& topic = source.config.topic;
  const int32_t partitions =
      startup_retrier("preparing topics").run(stop_source_.get_token(), [&] {
        if (source.config.topic_creation) {
          return admin_->ensure_topic(topic, *source.config.topic_creation);
        }
        std::optional<int32_t> count = admin_->partition_count(topic);
        if (!count) {
          throw Error::fatal("source '" + source.config.name + "': topic '" +
                             topic +
                             "' does not exist; create it or add a "
                             "[source.topic_creation] table");
        }
        return *count;
      });
  return source_entry(std::move(source), partitions);
}

std::unique_ptr<RegisteredConnector> ConnectorRuntime::prepare_sink(
    PreparedSink sink) {
  for (const std::string& topic : sink.config.topics) {
    startup_retrier("preparing topics").run(stop_source_.get_token(), [&] {
      if (sink.config.topic_creation) {
        admin_->ensure_topic(topic, *sink.config.topic_creation);
      } else if (!admin_->partition_count(topic)) {
        spdlog::warn(
            "sink '{}': topic '{}' does not exist yet; the sink "
            "waits for it",
            sink.config.name, topic);
      }
      return 0;
    });
  }
  return sink_entry(std::move(sink));
}

std::shared_ptr<DeadLetterQueue> ConnectorRuntime::dead_letters_for(
    const std::string& connector, const config::ErrorPolicy& policy,
    const kafka::Properties& overrides, int64_t max_record_bytes) {
  if (policy.dlq_topic.empty()) return nullptr;
  const std::optional<int64_t> topic_limit =
      startup_retrier("preparing the dead-letter topic")
          .run(stop_source_.get_token(), [&] {
            admin_->ensure_topic(policy.dlq_topic, dead_letter_topic(policy));
            return max_message_bytes(
                admin_->describe_configs(policy.dlq_topic));
          });
  return std::make_shared<DeadLetterQueue>(
      kafka::merge(plan_.config.kafka, overrides), policy, connector,
      dead_letter_message_bytes(max_record_bytes, topic_limit));
}

// The factory holds the connector's config by value (shared with the
// registry entry): every incarnation reads a config that outlives it.
std::unique_ptr<RegisteredConnector> ConnectorRuntime::source_entry(
    PreparedSource source, int32_t partitions) {
  auto entry = std::make_unique<RegisteredConnector>();
  entry->source = std::make_shared<const PreparedSource>(std::move(source));
  entry->planned_partitions = partitions;
  const config::SourceConfig& config = entry->source->config;
  std::shared_ptr<DeadLetterQueue> dead_letters =
      dead_letters_for(config.name, config.errors, config.kafka, 0);
  entry->supervisor = std::make_unique<ConnectorSupervisor>(
      config.name, "source", config.restart,
      std::chrono::milliseconds(config.call_timeout_ms),
      [prepared = entry->source, kafka = plan_.config.kafka, partitions,
       dead_letters](ConnectorStatus& status) {
        return std::make_unique<SourceConnector>(*prepared, kafka, partitions,
                                                 status, dead_letters);
      });
  entry->supervisor->set_listener([this] { connector_changed(); });
  // On the cluster the host created the topic on; no group.id: a source
  // has no commits to read.
  kafka::Properties reader = plan_.config.kafka;
  reader.erase("group.id");
  entry->lag = std::make_shared<kafka::GroupLag>(
      reader, std::vector{config.topic}, "source-" + config.name + "-offsets");
  return entry;
}

std::unique_ptr<RegisteredConnector> ConnectorRuntime::sink_entry(
    PreparedSink sink) {
  auto entry = std::make_unique<RegisteredConnector>();
  entry->sink = std::make_shared<const PreparedSink>(std::move(sink));
  const config::SinkConfig& config = entry->sink->config;
  std::shared_ptr<DeadLetterQueue> dead_letters = dead_letters_for(
      config.name, config.errors, config.kafka, config.max_record_bytes);
  entry->supervisor = std::make_unique<ConnectorSupervisor>(
      config.name, "sink", config.restart,
      std::chrono::milliseconds(config.call_timeout_ms),
      [prepared = entry->sink, kafka = plan_.config.kafka, dead_letters,
       flush_at_end = options_.until_caught_up](ConnectorStatus& status) {
        return std::make_unique<SinkConnector>(*prepared, kafka, status,
                                               dead_letters, flush_at_end);
      });
  entry->supervisor->set_listener([this] { connector_changed(); });
  entry->lag = std::make_shared<kafka::GroupLag>(
      sink_consumer_properties(plan_.config.kafka, config), config.topics,
      "sink-" + config.name + "-lag");
  return entry;
}

// Sinks first, so that their consumers are in the group before the sources
// produce.
void ConnectorRuntime::start_connectors() {
  for (const auto& connector : registry_.connectors()) {
    if (connector->is_sink()) connector->supervisor->start();
  }
  for (const auto& connector : registry_.connectors()) {
    if (!connector->is_sink()) connector->supervisor->start();
  }
  progress_ = std::make_unique<ProgressReporter>(
      registry_,
      std::chrono::milliseconds(plan_.config.host.status_interval_ms));
}

// Sources first: their producers deliver everything they were handed, so
// that sinks stopping after them have seen the end of what this host wrote.
void ConnectorRuntime::stop_connectors() {
  if (!shutdown_deadline_) {
    shutdown_deadline_ = std::make_unique<ShutdownDeadline>(
        std::chrono::milliseconds(plan_.config.host.shutdown_timeout_ms));
  }
  for (const bool sinks : {false, true}) {
    for (const auto& connector : registry_.connectors()) {
      if (connector->is_sink() == sinks) connector->supervisor->request_stop();
    }
    for (const auto& connector : registry_.connectors()) {
      if (connector->is_sink() != sinks) continue;
      set_shutdown_step(sinks
                            ? "stopping sink '" + connector->name() +
                                  "' (flushing, committing, leaving its group)"
                            : "stopping source '" + connector->name() + "'");
      connector->supervisor->join();
    }
  }
}

void ConnectorRuntime::set_shutdown_step(std::string step) {
  if (shutdown_deadline_) shutdown_deadline_->set_step(std::move(step));
}

void ConnectorRuntime::check_source_partitions() {
  const auto now = std::chrono::steady_clock::now();
  if (admin_ == nullptr || now < next_partition_check_) return;
  next_partition_check_ = now + kPartitionCheckInterval;
  for (const auto& connector : registry_.connectors()) {
    if (connector->is_sink() || connector->supervisor->ended()) continue;
    check_partition_count(*connector);
  }
  admin_->set_deadline(std::nullopt);
}

void ConnectorRuntime::check_partition_count(RegisteredConnector& source) {
  const std::string& topic = source.source->config.topic;
  std::optional<int32_t> count;
  try {
    admin_->set_deadline(std::chrono::steady_clock::now() +
                         kPartitionCheckTimeout);
    count = admin_->partition_count(topic);
  } catch (const Error&) {
    return;  // the cluster is busy or away: the next check will tell
  }
  if (!count || *count == source.planned_partitions) return;
  source.supervisor->fail_permanently(
      "topic '" + topic + "' now has " + std::to_string(*count) +
      " partition(s), but the source was started with " +
      std::to_string(source.planned_partitions) +
      " and its partitioner routes by that count (was the topic deleted "
      "and re-created?); restore the topic, or set "
      "topic_creation.partitions = " +
      std::to_string(*count) + " and restart the host");
}

void ConnectorRuntime::refresh_lags(bool per_partition) {
  for (const auto& connector : registry_.connectors()) {
    if (!connector->is_sink()) continue;
    ConnectorMetrics& metrics = connector->supervisor->metrics();
    if (per_partition) {
      publish_lag(read_lag(*connector->lag, true), metrics);
      continue;
    }
    const std::optional<int64_t> lag = connector->lag->lag(5s);
    metrics.lag.store(lag.value_or(-1));
  }
}

bool ConnectorRuntime::everything_ended() const {
  for (const auto& connector : registry_.connectors()) {
    if (!connector->supervisor->ended()) return false;
  }
  return true;
}

// A sink is caught up when it runs (not failed or waiting for a restart),
// has had a plugin instance, every task has taken its first assignment
// (and committed the offsets its sink keeps), and its group has committed
// to the end of its topics. One that gave up is left to the exit code.
bool ConnectorRuntime::caught_up() {
  for (const auto& connector : registry_.connectors()) {
    if (!connector->is_sink() && !connector->supervisor->ended()) return false;
  }
  // A commit or a state change may have caught the run up: look at once.
  const auto now = std::chrono::steady_clock::now();
  const bool changed = std::exchange(changed_since_check_, false);
  if (!changed && now < next_caught_up_check_) return false;
  next_caught_up_check_ = now + kCaughtUpCheckInterval;
  refresh_lags();
  for (const auto& connector : registry_.connectors()) {
    const ConnectorSupervisor& supervisor = *connector->supervisor;
    if (!connector->is_sink() || supervisor.ended()) continue;
    const ConnectorStatus& status = supervisor.status();
    if (status.state() != ConnectorState::running || !status.ran() ||
        status.tasks_positioned() < connector->tasks() ||
        status.metrics.lag.load() != 0) {
      return false;
    }
  }
  return true;
}

int ConnectorRuntime::exit_code() const {
  int code = 0;
  for (const FailedConnector& connector : not_started_) {
    spdlog::error("'{}' of the reloaded config never started: {}",
                  connector.name, connector.error);
    code = 1;
  }
  for (const auto& connector : registry_.connectors()) {
    const ConnectorSupervisor& supervisor = *connector->supervisor;
    const ConnectorStatus& status = supervisor.status();
    if (status.state() == ConnectorState::failed) {
      spdlog::error("{} '{}' FAILED: {}", supervisor.kind(), supervisor.name(),
                    status.failure_reason());
      code = 1;
    } else if (!status.ran()) {
      spdlog::error(
          "{} '{}' never ran (its plugin instance was never "
          "created)",
          supervisor.kind(), supervisor.name());
      code = 1;
    }
  }
  return code;
}

}  // namespace rdconnect::runtime
