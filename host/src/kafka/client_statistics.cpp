#include "kafka/client_statistics.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace rdconnect::kafka {
namespace {

using nlohmann::json;

uint64_t count(const json& broker, const char* field) {
  return broker.value(field, uint64_t{0});
}

// librdkafka's rtt window is in microseconds; cnt 0 means no request was
// timed in the interval, and its percentiles are then 0, not a time.
std::optional<double> rtt_seconds(const json& broker, const char* field) {
  const json& rtt = broker.value("rtt", json::object());
  if (rtt.value("cnt", int64_t{0}) <= 0) return std::nullopt;
  return rtt.value(field, int64_t{0}) / 1e6;
}

BrokerStatistics broker_statistics(const json& broker) {
  BrokerStatistics statistics;
  statistics.name = broker.value("name", "");
  statistics.node_id = broker.value("nodeid", int32_t{-1});
  statistics.up = broker.value("state", "") == "UP";
  statistics.rtt_p50_seconds = rtt_seconds(broker, "p50");
  statistics.rtt_p99_seconds = rtt_seconds(broker, "p99");
  statistics.requests = count(broker, "tx");
  statistics.send_errors = count(broker, "txerrs");
  statistics.receive_errors = count(broker, "rxerrs");
  statistics.request_timeouts = count(broker, "req_timeouts");
  statistics.disconnects = count(broker, "disconnects");
  return statistics;
}

}  // namespace

bool ClientStatistics::connected() const {
  return std::any_of(brokers.begin(), brokers.end(),
                     [](const BrokerStatistics& broker) { return broker.up; });
}

std::optional<ClientStatistics> parse_statistics(std::string_view text,
                                                 std::string client,
                                                 std::string* error) {
  try {
    const json document = json::parse(text);
    ClientStatistics statistics{std::move(client), {}};
    for (const json& broker : document.at("brokers")) {
      // The internal broker serves partitions without a leader; it is no
      // connection.
      if (broker.value("source", "") == "internal") continue;
      statistics.brokers.push_back(broker_statistics(broker));
    }
    std::sort(statistics.brokers.begin(), statistics.brokers.end(),
              [](const BrokerStatistics& a, const BrokerStatistics& b) {
                return a.name < b.name;
              });
    return statistics;
  } catch (const json::exception& failure) {
    if (error != nullptr) *error = failure.what();
    return std::nullopt;
  }
}

bool emits_statistics(const Properties& properties) {
  const auto interval = properties.find("statistics.interval.ms");
  return interval != properties.end() && interval->second != "0";
}

void hand_statistics(std::string_view json, const std::string& client,
                     const StatisticsHandler& handler) {
  std::string error;
  std::optional<ClientStatistics> statistics =
      parse_statistics(json, client, &error);
  if (!statistics) {
    spdlog::warn("[{}] librdkafka statistics not understood: {}", client,
                 error);
    return;
  }
  handler(std::move(*statistics));
}

}  // namespace rdconnect::kafka
