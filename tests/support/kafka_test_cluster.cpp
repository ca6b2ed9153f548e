#include "kafka_test_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "child_process.hpp"
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

void create_topic(const std::string& topic, int32_t partitions,
                  std::map<std::string, std::string> configs) {
  config::TopicCreation spec;
  spec.partitions = partitions;
  spec.configs = std::move(configs);
  admin().ensure_topic(topic, spec);
}

void delete_topic(const std::string& topic) {
  kafka::TopicAdmin client = admin();
  kafka::QueuePtr queue(rd_kafka_queue_new(client.client()));
  rd_kafka_DeleteTopic_t* deletion = rd_kafka_DeleteTopic_new(topic.c_str());
  rd_kafka_DeleteTopics(client.client(), &deletion, 1, nullptr, queue.get());
  kafka::EventPtr event(rd_kafka_queue_poll(queue.get(), 30000));
  rd_kafka_DeleteTopic_destroy(deletion);
  if (!event ||
      rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw std::runtime_error("cannot delete topic '" + topic + "'");
  }
}

}  // namespace rdconnect::testing
