// Does a cluster answer? One metadata request with a deadline, for
// `rdconnect validate --connect`.
#pragma once

#include <chrono>
#include <string>

#include <librdkafka/rdkafka.h>

#include "kafka/client_config.hpp"

namespace rdconnect::kafka {

struct ClusterInfo {
  int brokers = 0;
  /// Empty when the cluster did not say (brokers before Kafka 0.10).
  std::string cluster_id;
};

/// Creates a short-lived client of `type` from `properties`, asks for the
/// cluster's metadata and waits at most `timeout` for an answer. Throws
/// rdconnect::Error (retriable) saying what went wrong, with librdkafka's
/// last reported error (a refused connection, a failed authentication);
/// a failed authentication or a fatal client error ends the wait at once.
/// librdkafka's own log lines go to the debug level meanwhile.
ClusterInfo probe_cluster(const Properties& properties, rd_kafka_type_t type,
                          std::chrono::milliseconds timeout);

}  // namespace rdconnect::kafka
