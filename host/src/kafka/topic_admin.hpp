// Topic creation and inspection through the Kafka Admin API.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <stop_token>
#include <string>

#include "config/host_config.hpp"
#include "kafka/client_config.hpp"
#include "kafka/handles.hpp"

namespace rdconnect::kafka {

/// A short-lived admin client used before connectors start. Every call
/// waits at most `timeout` (and not past the deadline, when one is set),
/// and gives up within a fraction of a second of a stop request.
class TopicAdmin {
 public:
  using Clock = std::chrono::steady_clock;

  TopicAdmin(const Properties& properties, std::chrono::milliseconds timeout,
             std::stop_token stop = {});

  /// No call waits past `deadline` (nullopt: only `timeout` bounds them).
  void set_deadline(std::optional<Clock::time_point> deadline);

  /// Create `topic` as `spec` says unless it exists. An existing topic with
  /// another partition count is an error (partition routing depends on it);
  /// differing configs are a warning, because the host does not alter
  /// topics it did not create. Returns the partition count.
  int32_t ensure_topic(const std::string& topic,
                       const config::TopicCreation& spec);

  /// Partition count of `topic`, or nullopt when it does not exist.
  std::optional<int32_t> partition_count(const std::string& topic);

  /// The topic's configs as the broker reports them (defaults included).
  std::map<std::string, std::string> describe_configs(const std::string& topic);

  rd_kafka_t* client() const { return client_.get(); }

 private:
  /// False when another client created it first.
  bool create_topic(const std::string& topic,
                    const config::TopicCreation& spec);
  /// The topic's partition count once every partition has a leader.
  int32_t wait_until_ready(const std::string& topic);
  void warn_about_config_drift(const std::string& topic,
                               const config::TopicCreation& spec);

  std::chrono::milliseconds call_timeout() const;

  ClientPtr client_;
  std::chrono::milliseconds timeout_;
  std::stop_token stop_;
  std::optional<Clock::time_point> deadline_;
};

}  // namespace rdconnect::kafka
