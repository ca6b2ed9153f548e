// The real Kafka cluster that scripts/services.sh started, seen by tests
// through their own, independent librdkafka clients.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rdconnect::testing {

/// KAFKA_BOOTSTRAP from the environment. Throws when it is unset, which
/// fails the test: integration tests never skip a missing broker.
std::string kafka_bootstrap();

/// A name no other test run uses (topics, groups).
std::string unique_name(const std::string& prefix);

/// Partition count of `topic` from the cluster's metadata (0 if missing).
int32_t partition_count(const std::string& topic);

/// The topic's configs from the Admin API (DescribeConfigs).
std::map<std::string, std::string> topic_configs(const std::string& topic);

/// Create `topic` (test set-up), waiting until every partition has a leader.
void create_topic(const std::string& topic, int32_t partitions,
                  std::map<std::string, std::string> configs = {});

/// Delete `topic`, once the controller has accepted it. It does not wait for
/// the topic to vanish from the metadata: brokers learn of the deletion one
/// by one, and a running producer can have a broker auto-create the topic
/// again before the last one has (a wait for that gap timed out under load).
void delete_topic(const std::string& topic);

}  // namespace rdconnect::testing
