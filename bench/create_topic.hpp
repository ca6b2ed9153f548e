// Topic creation through the Admin API of an existing client.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>

namespace rdconnect::bench {

/// Creates `topic` with `partitions` and replication factor 1, waiting for
/// the broker's answer; exits the process on any error, including an existing
/// topic (every bench round wants a fresh, empty one).
void create_topic(rd_kafka_t* client, const std::string& topic, int partitions);

}  // namespace rdconnect::bench
