#include "cli/connection_check.hpp"

#include <future>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kafka/client_config.hpp"
#include "kafka/cluster_probe.hpp"

namespace rdconnect::cli {
namespace {

// What a probe needs, and so what tells two connectors' probes apart.
using ProbeKey = std::pair<rd_kafka_type_t, kafka::Properties>;

struct Connector {
  const char* kind;  // "source" / "sink"
  std::string name;
  ProbeKey probe;
};

std::string brokers_line(const kafka::ClusterInfo& info) {
  return fmt::format(
      "brokers: OK ({} broker{}, cluster id {})", info.brokers,
      info.brokers == 1 ? "" : "s",
      info.cluster_id.empty() ? std::string("unknown") : info.cluster_id);
}

std::string failure_line(const Connector& connector, const std::string& why) {
  return fmt::format(
      "brokers: FAILED: {}; check \"bootstrap.servers\" (and the security "
      "settings, if the cluster needs them) in [kafka] or [{}.kafka], that "
      "the brokers run, and that this machine can reach them",
      why, connector.kind);
}

}  // namespace

int check_connections(const runtime::ConnectorPlan& plan, std::ostream& out,
                      std::chrono::milliseconds timeout) {
  std::vector<Connector> connectors;
  for (const auto& source : plan.sources) {
    connectors.push_back(
        {"source",
         source.config.name,
         {RD_KAFKA_PRODUCER,
          kafka::merge(plan.config.kafka, source.config.kafka)}});
  }
  for (const auto& sink : plan.sinks) {
    connectors.push_back(
        {"sink",
         sink.config.name,
         {RD_KAFKA_CONSUMER,
          kafka::merge(plan.config.kafka, sink.config.kafka)}});
  }
  // Connectors sharing a setting share a probe; the probes run side by
  // side, so that the check takes one timeout however many there are.
  std::map<ProbeKey, std::shared_future<kafka::ClusterInfo>> probes;
  for (const Connector& connector : connectors) {
    if (probes.contains(connector.probe)) continue;
    probes.emplace(
        connector.probe,
        std::async(std::launch::async, [key = connector.probe, timeout] {
          return kafka::probe_cluster(key.second, key.first, timeout);
        }).share());
  }

  int failed = 0;
  for (const Connector& connector : connectors) {
    out << connector.kind << " '" << connector.name << "':\n    ";
    try {
      out << brokers_line(probes.at(connector.probe).get()) << "\n";
    } catch (const std::exception& error) {
      out << failure_line(connector, error.what()) << "\n";
      ++failed;
    }
    if (std::string_view(connector.kind) == "sink") {
      out << "    target: not checked (plugin has no connection check)\n";
    }
  }
  return failed;
}

}  // namespace rdconnect::cli
