// Baseline producer and topic filler:
//
//   bench_produce TOPIC COUNT VALUE_BYTES [PARTITIONS]
//
// With PARTITIONS it first creates TOPIC (it must not exist). Then it produces
// COUNT records shaped like uuid_source's (a 36-character UUID text key, a
// JSON value padded to VALUE_BYTES) with the settings the host's source
// connector uses, and exits 0 once every one is delivered. It reads the
// bootstrap servers from KAFKA_BOOTSTRAP.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "bench_conf.hpp"
#include "create_topic.hpp"

namespace {

using rdconnect::bench::die;

// The host's source calls poll after each batch of at most this many records
// (source_connector.cpp, kMaxRecordsPerPoll); the baseline serves delivery
// reports as often.
constexpr uint64_t kRecordsPerPoll = 1000;

uint64_t failed_deliveries = 0;

void on_delivery(rd_kafka_t* /*client*/, const rd_kafka_message_t* message,
                 void* /*opaque*/) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) ++failed_deliveries;
}

// A random UUIDv4 in text form, as uuid_source's fresh keys are.
std::string uuid_text(std::mt19937_64& engine) {
  const uint64_t high = engine();
  const uint64_t low = engine();
  char text[37];
  std::snprintf(text, sizeof text, "%08x-%04x-4%03x-%04x-%012llx",
                static_cast<unsigned>(high >> 32),
                static_cast<unsigned>((high >> 16) & 0xffff),
                static_cast<unsigned>(high & 0x0fff),
                static_cast<unsigned>(((low >> 48) & 0x3fff) | 0x8000),
                static_cast<unsigned long long>(low & 0xffffffffffffULL));
  return text;
}

// uuid_source's value (record_value.cpp): id, seq, created_at, then a
// payload of 'x' up to `bytes`. The timestamp is fixed: formatting it is not
// what a producer baseline measures, and lz4 sees the same bytes either way.
std::string record_value(const std::string& id, uint64_t seq, size_t bytes) {
  std::string value = "{\"id\":\"" + id + "\",\"seq\":" + std::to_string(seq) +
                      ",\"created_at\":\"2026-01-01T00:00:00.000Z\"";
  constexpr size_t kPayloadOverhead = sizeof(",\"payload\":\"\"") - 1;
  if (bytes >= value.size() + 1 + kPayloadOverhead) {
    value += ",\"payload\":\"";
    value.append(bytes - value.size() - 2, 'x');
    value += '"';
  }
  value += '}';
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    die("usage: bench_produce TOPIC COUNT VALUE_BYTES [PARTITIONS]");
  }
  const std::string topic = argv[1];
  const uint64_t count = std::stoull(argv[2]);
  const size_t value_bytes = std::stoull(argv[3]);

  // The defaults of host/src/runtime/source_connector.cpp.
  rd_kafka_conf_t* conf = rdconnect::bench::make_conf({
      {"bootstrap.servers", rdconnect::bench::required_env("KAFKA_BOOTSTRAP")},
      {"client.id", "bench-produce"},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "5"},
      {"compression.type", "lz4"},
  });
  rd_kafka_conf_set_dr_msg_cb(conf, &on_delivery);
  rd_kafka_t* client = rdconnect::bench::make_client(RD_KAFKA_PRODUCER, conf);

  int32_t partitions = 0;
  if (argc == 5) {
    partitions = std::stoi(argv[4]);
    rdconnect::bench::create_topic(client, topic, partitions);
  } else {
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_topic_t* handle =
        rd_kafka_topic_new(client, topic.c_str(), nullptr);
    if (rd_kafka_metadata(client, 0, handle, &metadata, 30000) !=
            RD_KAFKA_RESP_ERR_NO_ERROR ||
        metadata->topic_cnt != 1 || metadata->topics[0].partition_cnt == 0) {
      die("no metadata for topic " + topic);
    }
    partitions = metadata->topics[0].partition_cnt;
    rd_kafka_metadata_destroy(metadata);
    rd_kafka_topic_destroy(handle);
  }

  rd_kafka_topic_t* handle = rd_kafka_topic_new(client, topic.c_str(), nullptr);
  std::mt19937_64 engine(std::random_device{}());
  for (uint64_t seq = 0; seq < count; ++seq) {
    const std::string key = uuid_text(engine);
    std::string value = record_value(key, seq, value_bytes);
    // The host picks the partition itself (uuid_mod); so does the baseline.
    const auto partition = static_cast<int32_t>(seq % partitions);
    while (rd_kafka_produce(handle, partition, RD_KAFKA_MSG_F_COPY,
                            value.data(), value.size(), key.data(), key.size(),
                            nullptr) != 0) {
      if (rd_kafka_last_error() != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        die(std::string("produce: ") + rd_kafka_err2str(rd_kafka_last_error()));
      }
      rd_kafka_poll(client, 100);  // room frees as deliveries are served
    }
    if (seq % kRecordsPerPoll == 0) rd_kafka_poll(client, 0);
  }
  while (rd_kafka_outq_len(client) > 0) rd_kafka_flush(client, 1000);
  rd_kafka_topic_destroy(handle);
  rd_kafka_destroy(client);
  if (failed_deliveries > 0) {
    die(std::to_string(failed_deliveries) + " records were not delivered");
  }
  return 0;
}
