// Baseline consumer:
//
//   bench_consume TOPIC GROUP COUNT
//
// Joins GROUP with the settings the host's sink tasks use, reads COUNT
// records of TOPIC, committing positions every second as a sink task does
// after each flush, commits once more and exits 0. It reads the bootstrap
// servers from KAFKA_BOOTSTRAP.
#include <chrono>
#include <cstdint>
#include <string>

#include "bench_conf.hpp"

namespace {

using rdconnect::bench::die;
using Clock = std::chrono::steady_clock;

// A sink task's default flush_interval_ms (host/src/config/host_config.hpp):
// the host commits that often, so the baseline does too.
constexpr auto kCommitInterval = std::chrono::milliseconds(1000);
constexpr int kPollTimeoutMs = 100;

// Commits where the consumer stands on each assigned partition: the offset
// after the last record returned, what the host commits after a flush.
void commit_positions(rd_kafka_t* client) {
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(client, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    die("assignment failed");
  }
  if (assignment->cnt > 0 &&
      rd_kafka_position(client, assignment) == RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Partitions with nothing consumed yet have no position to commit.
    const rd_kafka_resp_err_t err = rd_kafka_commit(client, assignment, 0);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR &&
        err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
      die(std::string("commit: ") + rd_kafka_err2str(err));
    }
  }
  rd_kafka_topic_partition_list_destroy(assignment);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) die("usage: bench_consume TOPIC GROUP COUNT");
  const std::string topic = argv[1];
  const uint64_t count = std::stoull(argv[3]);

  // sink_consumer_properties() in host/src/runtime/sink_connector.cpp, plus
  // the partition EOF events `run --until-caught-up` turns on.
  rd_kafka_conf_t* conf = rdconnect::bench::make_conf({
      {"bootstrap.servers", rdconnect::bench::required_env("KAFKA_BOOTSTRAP")},
      {"client.id", "bench-consume"},
      {"group.id", argv[2]},
      {"partition.assignment.strategy", "cooperative-sticky"},
      {"auto.offset.reset", "earliest"},
      {"queued.max.messages.kbytes", "16384"},
      {"queued.min.messages", "10000"},
      {"max.partition.fetch.bytes", "262144"},
      {"fetch.queue.backoff.ms", "10"},
      {"fetch.wait.max.ms", "100"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
  });
  rd_kafka_t* client = rdconnect::bench::make_client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(client);
  rd_kafka_topic_partition_list_t* topics =
      rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(),
                                    RD_KAFKA_PARTITION_UA);
  if (rd_kafka_subscribe(client, topics) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    die("subscribe failed");
  }
  rd_kafka_topic_partition_list_destroy(topics);

  uint64_t consumed = 0;
  uint64_t bytes = 0;  // touched so that the value is really read
  auto next_commit = Clock::now() + kCommitInterval;
  while (consumed < count) {
    rd_kafka_message_t* message =
        rd_kafka_consumer_poll(client, kPollTimeoutMs);
    if (message != nullptr) {
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++consumed;
        bytes += message->len;
      } else if (message->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        die(std::string("consume: ") + rd_kafka_message_errstr(message));
      }
      rd_kafka_message_destroy(message);
    }
    if (Clock::now() >= next_commit) {
      commit_positions(client);
      next_commit = Clock::now() + kCommitInterval;
    }
  }
  commit_positions(client);
  rd_kafka_consumer_close(client);
  rd_kafka_destroy(client);
  return bytes > 0 ? 0 : 1;
}
