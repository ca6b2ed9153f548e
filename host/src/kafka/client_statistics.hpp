// What a librdkafka client says of its brokers in its statistics JSON
// (statistics.interval.ms): connection state, round-trip times and request
// errors, for the metrics endpoint and for readiness.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kafka/client_config.hpp"

namespace rdconnect::kafka {

struct BrokerStatistics {
  /// librdkafka's name for it: "host:port/nodeid", or ".../bootstrap" for
  /// a bootstrap address whose node id is not known yet.
  std::string name;
  int32_t node_id = -1;
  /// Whether the connection is up (librdkafka's state "UP").
  bool up = false;
  /// Round-trip times of the requests of the last statistics interval;
  /// nullopt when it sent none.
  std::optional<double> rtt_p50_seconds;
  std::optional<double> rtt_p99_seconds;
  /// Since the client was created.
  uint64_t requests = 0;
  uint64_t send_errors = 0;
  uint64_t receive_errors = 0;
  uint64_t request_timeouts = 0;
  uint64_t disconnects = 0;
};

struct ClientStatistics {
  /// The host's name for the client ("sink-log.0", "source-uuids").
  std::string client;
  std::vector<BrokerStatistics> brokers;

  /// Whether the client holds a live connection to at least one broker.
  bool connected() const;
};

/// The brokers of one statistics document, or nullopt (with the reason
/// in `error`) when it is not the JSON librdkafka writes. librdkafka's
/// internal pseudo-broker is left out.
std::optional<ClientStatistics> parse_statistics(std::string_view json,
                                                 std::string client,
                                                 std::string* error = nullptr);

/// Receives each statistics document a client emits, parsed. Runs on the
/// thread that polls the client, inside its poll; must not block.
using StatisticsHandler = std::function<void(ClientStatistics)>;

/// The statistics.interval.ms the host gives its clients unless the
/// operator sets one: once a second keeps readiness prompt (a client is
/// "connected" by its statistics) for a parse of a few kilobytes.
inline constexpr const char* kStatisticsIntervalMs = "1000";

/// Whether a client made of `properties` emits statistics: unless the
/// operator set statistics.interval.ms to 0.
bool emits_statistics(const Properties& properties);

/// What a client's stats_cb does: parses `json` and hands it to `handler`;
/// a document that does not parse is logged and dropped.
void hand_statistics(std::string_view json, const std::string& client,
                     const StatisticsHandler& handler);

}  // namespace rdconnect::kafka
