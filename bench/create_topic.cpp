#include "create_topic.hpp"

#include <array>

#include "bench_conf.hpp"

namespace rdconnect::bench {

void create_topic(rd_kafka_t* client, const std::string& topic,
                  int partitions) {
  std::array<char, 512> errstr{};
  rd_kafka_NewTopic_t* new_topic = rd_kafka_NewTopic_new(
      topic.c_str(), partitions, 1, errstr.data(), errstr.size());
  if (new_topic == nullptr) die(std::string("NewTopic: ") + errstr.data());
  rd_kafka_queue_t* queue = rd_kafka_queue_new(client);
  rd_kafka_AdminOptions_t* options =
      rd_kafka_AdminOptions_new(client, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  // The broker answers once the topic's leaders are elected, so the first
  // produce does not wait on metadata for a topic still being born.
  rd_kafka_AdminOptions_set_operation_timeout(options, 30000, errstr.data(),
                                              errstr.size());
  rd_kafka_CreateTopics(client, &new_topic, 1, options, queue);
  rd_kafka_event_t* event = rd_kafka_queue_poll(queue, 60000);
  if (event == nullptr) die("CreateTopics: no answer in 60 s");
  if (rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    die(std::string("CreateTopics: ") + rd_kafka_event_error_string(event));
  }
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(
      rd_kafka_event_CreateTopics_result(event), &count);
  for (size_t i = 0; i < count; ++i) {
    if (rd_kafka_topic_result_error(results[i]) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      die("CreateTopics " + topic + ": " +
          rd_kafka_topic_result_error_string(results[i]));
    }
  }
  rd_kafka_event_destroy(event);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_queue_destroy(queue);
  rd_kafka_NewTopic_destroy(new_topic);
}

}  // namespace rdconnect::bench
