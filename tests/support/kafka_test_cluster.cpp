#include "kafka_test_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "config/host_config.hpp"
#include "kafka/handles.hpp"
#include "kafka/topic_admin.hpp"

namespace rdconnect::testing {
namespace {

kafka::TopicAdmin admin() {
  return kafka::TopicAdmin({{"bootstrap.servers", kafka_bootstrap()}},
                           std::chrono::seconds(30));
}

}  // namespace

std::string kafka_bootstrap() {
  const char* bootstrap = std::getenv("KAFKA_BOOTSTRAP");
  if (bootstrap == nullptr || *bootstrap == '\0') {
    throw std::runtime_error(
        "KAFKA_BOOTSTRAP is not set: start Kafka with `scripts/services.sh up` "
        "and export the output of `scripts/services.sh env` (scripts/test.sh "
        "does both)");
  }
  return bootstrap;
}

std::string unique_name(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + "-" + std::to_string(getpid()) + "-" +
         std::to_string(counter.fetch_add(1)) + "-" +
         std::to_string(
             std::chrono::steady_clock::now().time_since_epoch().count() %
             1'000'000'000);
}

int32_t partition_count(const std::string& topic) {
  return admin().partition_count(topic).value_or(0);
}

std::map<std::string, std::string> topic_configs(const std::string& topic) {
  return admin().describe_configs(topic);
}

void create_topic(const std::string& topic, int32_t partitions) {
  config::TopicCreation spec;
  spec.partitions = partitions;
  admin().ensure_topic(topic, spec);
}

}  // namespace rdconnect::testing
