#include "runtime/connector_runtime.hpp"

#include <spdlog/spdlog.h>

#include "common/backoff.hpp"
#include "common/error.hpp"
#include "kafka/topic_admin.hpp"

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kAdminTimeout = 30s;
// How long the host keeps trying to reach the cluster at start-up before
// it gives up with exit code 1.
constexpr auto kStartupDeadline = 60s;
constexpr auto kSupervisionTick = 200ms;

// Retry a start-up step while the cluster is unreachable.
template <typename Step>
auto retry_until_deadline(const char* what, Step step) {
  const auto deadline = std::chrono::steady_clock::now() + kStartupDeadline;
  Backoff backoff(200ms, 5s);
  while (true) {
    try {
      return step();
    } catch (const Error& error) {
      if (!error.is_retriable() ||
          std::chrono::steady_clock::now() >= deadline) {
        throw;
      }
      spdlog::warn("{}: {}; retrying", what, error.what());
      std::this_thread::sleep_for(backoff.next());
    }
  }
}

}  // namespace

ConnectorRuntime::ConnectorRuntime(ConnectorPlan plan, RunOptions options)
    : plan_(std::move(plan)), options_(options) {}

ConnectorRuntime::~ConnectorRuntime() { stop_connectors(); }

int ConnectorRuntime::run() {
  create_topics();
  start_connectors();
  while (!wait_for_stop(kSupervisionTick)) {
    stop_failed_connectors();
    progress_->maybe_report([this] {
      for (auto& sink : sinks_) sink->refresh_lag();
    });
    if (options_.until_caught_up && caught_up()) {
      spdlog::info("every source finished and every sink caught up; stopping");
      break;
    }
    if (everything_ended()) break;
  }
  stop_connectors();
  progress_->maybe_report(
      [this] {
        for (auto& sink : sinks_) sink->refresh_lag();
      },
      true);
  return exit_code();
}

void ConnectorRuntime::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_requested_ = true;
  }
  stop_requested_cv_.notify_all();
}

bool ConnectorRuntime::wait_for_stop(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return stop_requested_cv_.wait_for(lock, timeout,
                                     [this] { return stop_requested_; });
}

// Topics exist, with the partition counts routing depends on, before any
// connector starts.
void ConnectorRuntime::create_topics() {
  if (plan_.sources.empty() && plan_.sinks.empty()) return;
  kafka::TopicAdmin admin(plan_.config.kafka, kAdminTimeout);
  for (PreparedSource& source : plan_.sources) {
    const std::string& topic = source.config.topic;
    const int32_t partitions = retry_until_deadline("preparing topics", [&] {
      if (source.config.topic_creation) {
        return admin.ensure_topic(topic, *source.config.topic_creation);
      }
      std::optional<int32_t> count = admin.partition_count(topic);
      if (!count) {
        throw Error::fatal("source '" + source.config.name + "': topic '" +
                           topic +
                           "' does not exist; create it or add a "
                           "[source.topic_creation] table");
      }
      return *count;
    });
    sources_.push_back(std::make_unique<SourceConnector>(
        source, plan_.config.kafka, partitions));
  }
  for (const PreparedSink& sink : plan_.sinks) {
    for (const std::string& topic : sink.config.topics) {
      retry_until_deadline("preparing topics", [&] {
        if (sink.config.topic_creation) {
          admin.ensure_topic(topic, *sink.config.topic_creation);
        } else if (!admin.partition_count(topic)) {
          spdlog::warn(
              "sink '{}': topic '{}' does not exist yet; the sink "
              "waits for it",
              sink.config.name, topic);
        }
        return 0;
      });
    }
    sinks_.push_back(std::make_unique<SinkConnector>(sink, plan_.config.kafka));
  }
}

// Sinks first, so that their consumers are in the group before the sources
// produce.
void ConnectorRuntime::start_connectors() {
  std::vector<ProgressReporter::Connector> reported;
  for (auto& sink : sinks_) {
    sink->start();
    reported.push_back({sink->name(), "sink", &sink->status()});
  }
  for (auto& source : sources_) {
    source->start();
    reported.push_back({source->name(), "source", &source->status()});
  }
  progress_ = std::make_unique<ProgressReporter>(
      std::move(reported),
      std::chrono::milliseconds(plan_.config.host.status_interval_ms));
}

// Sources first: their producers deliver everything they were handed, so
// that sinks stopping after them have seen the end of what this host wrote.
void ConnectorRuntime::stop_connectors() {
  for (auto& source : sources_) source->request_stop();
  for (auto& source : sources_) source->join();
  for (auto& sink : sinks_) sink->request_stop();
  for (auto& sink : sinks_) sink->join();
}

// A failed connector's remaining tasks stop; other connectors keep running.
void ConnectorRuntime::stop_failed_connectors() {
  for (auto& sink : sinks_) {
    if (sink->status().state() == ConnectorState::failed) sink->request_stop();
  }
}

bool ConnectorRuntime::everything_ended() const {
  for (const auto& source : sources_) {
    if (!source->status().terminal()) return false;
  }
  for (const auto& sink : sinks_) {
    if (!sink->status().terminal()) return false;
  }
  return true;
}

bool ConnectorRuntime::caught_up() {
  for (const auto& source : sources_) {
    if (!source->status().terminal()) return false;
  }
  for (auto& sink : sinks_) {
    if (sink->status().state() == ConnectorState::failed) continue;
    if (sink->refresh_lag() != 0) return false;
  }
  return true;
}

int ConnectorRuntime::exit_code() const {
  for (const auto& source : sources_) {
    if (source->status().state() == ConnectorState::failed) return 1;
  }
  for (const auto& sink : sinks_) {
    if (sink->status().state() == ConnectorState::failed) return 1;
  }
  return 0;
}

}  // namespace rdconnect::runtime
