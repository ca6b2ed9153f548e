#include "kafka/topic_admin.hpp"

#include <algorithm>
#include <array>

#include <spdlog/spdlog.h>

#include "common/backoff.hpp"
#include "common/error.hpp"

namespace rdconnect::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// librdkafka's blocking calls cannot be interrupted: they are made in
// slices this long, so that a stop request is noticed within one.
constexpr auto kSlice = std::chrono::milliseconds(250);

void throw_if_stopped(std::stop_token stop, const std::string& what) {
  if (stop.stop_requested()) throw Error::fatal(what + ": stopped");
}

// All-topics metadata never triggers broker-side auto-creation, unlike a
// request for one named topic.
MetadataPtr fetch_metadata(rd_kafka_t* client,
                           std::chrono::milliseconds timeout,
                           std::stop_token stop) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    throw_if_stopped(stop, "reading cluster metadata");
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    const rd_kafka_metadata_t* metadata = nullptr;
    const rd_kafka_resp_err_t err = rd_kafka_metadata(
        client, 1, nullptr, &metadata,
        static_cast<int>(
            std::clamp(left, std::chrono::milliseconds(1), kSlice).count()));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return MetadataPtr(metadata);
    if (Clock::now() >= deadline) {
      throw Error::retriable(
          std::string("cannot read cluster metadata: ") +
          rd_kafka_err2str(err) +
          " (is bootstrap.servers right and the broker up?)");
    }
  }
}

const rd_kafka_metadata_topic_t* find_topic(const rd_kafka_metadata_t& metadata,
                                            const std::string& topic) {
  for (int i = 0; i < metadata.topic_cnt; ++i) {
    const rd_kafka_metadata_topic_t& candidate = metadata.topics[i];
    if (topic == candidate.topic &&
        candidate.err != RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) {
      return &candidate;
    }
  }
  return nullptr;
}

bool every_partition_has_leader(const rd_kafka_metadata_topic_t& topic) {
  for (int i = 0; i < topic.partition_cnt; ++i) {
    if (topic.partitions[i].leader < 0) return false;
  }
  return true;
}

AdminOptionsPtr admin_options(rd_kafka_t* client, rd_kafka_admin_op_t op,
                              std::chrono::milliseconds timeout) {
  AdminOptionsPtr options(rd_kafka_AdminOptions_new(client, op));
  std::array<char, 256> errstr{};
  rd_kafka_AdminOptions_set_request_timeout(options.get(),
                                            static_cast<int>(timeout.count()),
                                            errstr.data(), errstr.size());
  rd_kafka_AdminOptions_set_operation_timeout(options.get(),
                                              static_cast<int>(timeout.count()),
                                              errstr.data(), errstr.size());
  return options;
}

EventPtr wait_for_result(rd_kafka_queue_t* queue, rd_kafka_event_type_t type,
                         std::chrono::milliseconds timeout,
                         std::stop_token stop, const std::string& what) {
  // The request timeout is enforced by librdkafka; the extra margin only
  // guards against a result that never arrives.
  const auto deadline = Clock::now() + timeout + std::chrono::seconds(5);
  EventPtr event;
  while (!event && Clock::now() < deadline) {
    throw_if_stopped(stop, what);
    event.reset(rd_kafka_queue_poll(queue, static_cast<int>(kSlice.count())));
  }
  if (!event) throw Error::retriable(what + ": no answer from the cluster");
  if (rd_kafka_event_type(event.get()) != type) {
    throw Error::retriable(what + ": unexpected admin event");
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error::retriable(what + ": " +
                           rd_kafka_event_error_string(event.get()));
  }
  return event;
}

}  // namespace

TopicAdmin::TopicAdmin(const Properties& properties,
                       std::chrono::milliseconds timeout, std::stop_token stop)
    : client_(make_client(RD_KAFKA_PRODUCER, make_conf(properties, "admin"))),
      timeout_(timeout),
      stop_(std::move(stop)) {}

void TopicAdmin::set_deadline(std::optional<Clock::time_point> deadline) {
  deadline_ = deadline;
}

std::chrono::milliseconds TopicAdmin::call_timeout() const {
  if (!deadline_) return timeout_;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      *deadline_ - Clock::now());
  return std::clamp(left, std::chrono::milliseconds(1), timeout_);
}

std::optional<int32_t> TopicAdmin::partition_count(const std::string& topic) {
  MetadataPtr metadata = fetch_metadata(client_.get(), call_timeout(), stop_);
  const rd_kafka_metadata_topic_t* found = find_topic(*metadata, topic);
  if (found == nullptr) return std::nullopt;
  return found->partition_cnt;
}

int32_t TopicAdmin::ensure_topic(const std::string& topic,
                                 const config::TopicCreation& spec) {
  std::optional<int32_t> existing = partition_count(topic);
  bool created = false;
  if (!existing) {
    created = create_topic(topic, spec);
    existing = wait_until_ready(topic);
  }
  if (*existing != spec.partitions) {
    throw Error::fatal("topic '" + topic + "' exists with " +
                       std::to_string(*existing) +
                       " partitions but the config asks for " +
                       std::to_string(spec.partitions) +
                       "; partition routing depends on the count, so set "
                       "topic_creation.partitions = " +
                       std::to_string(*existing) + " or use another topic");
  }
  // A topic this call created has the configs asked for.
  if (!created) warn_about_config_drift(topic, spec);
  return *existing;
}

bool TopicAdmin::create_topic(const std::string& topic,
                              const config::TopicCreation& spec) {
  std::array<char, 512> errstr{};
  NewTopicPtr new_topic(rd_kafka_NewTopic_new(topic.c_str(), spec.partitions,
                                              spec.replication_factor,
                                              errstr.data(), errstr.size()));
  if (!new_topic) {
    throw Error::fatal("cannot describe topic '" + topic +
                       "': " + errstr.data());
  }
  for (const auto& [key, value] : spec.configs) {
    rd_kafka_NewTopic_set_config(new_topic.get(), key.c_str(), value.c_str());
  }
  QueuePtr queue(rd_kafka_queue_new(client_.get()));
  AdminOptionsPtr options = admin_options(
      client_.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, call_timeout());
  rd_kafka_NewTopic_t* topics[] = {new_topic.get()};
  rd_kafka_CreateTopics(client_.get(), topics, 1, options.get(), queue.get());
  const std::string what = "creating topic '" + topic + "'";
  EventPtr event =
      wait_for_result(queue.get(), RD_KAFKA_EVENT_CREATETOPICS_RESULT,
                      call_timeout(), stop_, what);

  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
      rd_kafka_event_CreateTopics_result(event.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    // Another host creating the same topic at the same moment is fine.
    if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) return false;
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* message = rd_kafka_topic_result_error_string(results[i]);
      throw Error::fatal(
          what + " failed: " + (message ? message : rd_kafka_err2str(err)));
    }
  }
  spdlog::info("created topic '{}' with {} partitions, replication factor {}",
               topic, spec.partitions, spec.replication_factor);
  return true;
}

// CreateTopics returns before every broker knows the topic; producing at
// once would fail with unknown-partition errors, so wait for the leaders.
// Another host may have created it a moment earlier: its count is the
// topic's, whatever this config asked for.
int32_t TopicAdmin::wait_until_ready(const std::string& topic) {
  const auto deadline = Clock::now() + call_timeout();
  while (Clock::now() < deadline) {
    MetadataPtr metadata = fetch_metadata(client_.get(), call_timeout(), stop_);
    const rd_kafka_metadata_topic_t* found = find_topic(*metadata, topic);
    if (found != nullptr && found->partition_cnt > 0 &&
        every_partition_has_leader(*found)) {
      return found->partition_cnt;
    }
    if (!wait_unless_stopped(stop_, std::chrono::milliseconds(100))) {
      throw_if_stopped(stop_, "waiting for topic '" + topic + "'");
    }
  }
  throw Error::retriable("topic '" + topic +
                         "' has no leader for every partition after " +
                         std::to_string(timeout_.count()) + " ms");
}

std::map<std::string, std::string> TopicAdmin::describe_configs(
    const std::string& topic) {
  ConfigResourcePtr resource(
      rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str()));
  QueuePtr queue(rd_kafka_queue_new(client_.get()));
  AdminOptionsPtr options = admin_options(
      client_.get(), RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, call_timeout());
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  rd_kafka_DescribeConfigs(client_.get(), resources, 1, options.get(),
                           queue.get());
  const std::string what = "describing topic '" + topic + "'";
  EventPtr event =
      wait_for_result(queue.get(), RD_KAFKA_EVENT_DESCRIBECONFIGS_RESULT,
                      call_timeout(), stop_, what);

  size_t resource_count = 0;
  const rd_kafka_ConfigResource_t** described =
      rd_kafka_DescribeConfigs_result_resources(
          rd_kafka_event_DescribeConfigs_result(event.get()), &resource_count);
  std::map<std::string, std::string> configs;
  for (size_t r = 0; r < resource_count; ++r) {
    if (rd_kafka_ConfigResource_error(described[r]) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw Error::retriable(
          what + ": " + rd_kafka_ConfigResource_error_string(described[r]));
    }
    size_t entry_count = 0;
    const rd_kafka_ConfigEntry_t** entries =
        rd_kafka_ConfigResource_configs(described[r], &entry_count);
    for (size_t e = 0; e < entry_count; ++e) {
      const char* value = rd_kafka_ConfigEntry_value(entries[e]);
      configs[rd_kafka_ConfigEntry_name(entries[e])] = value ? value : "";
    }
  }
  return configs;
}

void TopicAdmin::warn_about_config_drift(const std::string& topic,
                                         const config::TopicCreation& spec) {
  if (spec.configs.empty()) return;
  const std::map<std::string, std::string> actual = describe_configs(topic);
  for (const auto& [key, wanted] : spec.configs) {
    auto found = actual.find(key);
    const std::string have = found == actual.end() ? "(unset)" : found->second;
    if (have != wanted) {
      spdlog::warn(
          "topic '{}' has {}={} but the config asks for {}; the host does not "
          "alter existing topics (use kafka-configs.sh to change it)",
          topic, key, have, wanted);
    }
  }
}

}  // namespace rdconnect::kafka
