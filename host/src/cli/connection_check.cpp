#include "cli/connection_check.hpp"

#include <future>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kafka/client_config.hpp"
#include "kafka/cluster_probe.hpp"
#include "runtime/plugin_call.hpp"

namespace rdconnect::cli {
namespace {

// What a probe needs, and so what tells two connectors' probes apart.
using ProbeKey = std::pair<rd_kafka_type_t, kafka::Properties>;

struct Connector {
  const char* kind;  // "source" / "sink"
  std::string name;
  ProbeKey probe;
  /// The plugin's check of its target (sinks) or origin (sources), run
  /// beside the probes; absent when the plugin has none.
  std::optional<std::shared_future<std::string>> plugin_check;
};

// The line of a plugin's connection check, "OK (...)" or "FAILED: ...";
// whatever the plugin wrote, secrets masked.
std::string run_plugin_check(const plugin::LoadedPlugin& plugin,
                             const config::ResolvedPluginConfig& config,
                             std::chrono::milliseconds timeout) {
  const std::vector<rdc_config_value> values = config.as_c();
  runtime::GuardedErrorBuffer message;
  // An int: a buggy plugin may return a value outside rdc_status.
  const int status = plugin.check_connection()(
      values.data(), values.size(), static_cast<int>(timeout.count()),
      message.data(), message.size());
  if (message.overrun()) {
    return fmt::format(
        "FAILED: the plugin broke the contract: it wrote past the {} bytes "
        "of message it was given (message_size); fix the plugin",
        message.size());
  }
  const std::string said = config.mask_secrets_in(message.message());
  if (status == RDC_OK) return said.empty() ? "OK" : "OK (" + said + ")";
  return "FAILED: " + (said.empty() ? std::string("no reason given") : said);
}

template <typename Prepared>
std::optional<std::shared_future<std::string>> start_plugin_check(
    const Prepared& prepared, std::chrono::milliseconds timeout) {
  if (prepared.plugin->check_connection() == nullptr) return std::nullopt;
  return std::async(std::launch::async,
                    [&prepared, timeout] {
                      return run_plugin_check(*prepared.plugin,
                                              prepared.plugin_config, timeout);
                    })
      .share();
}

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
          kafka::merge(plan.config.kafka, source.config.kafka)},
         start_plugin_check(source, timeout)});
  }
  for (const auto& sink : plan.sinks) {
    connectors.push_back({"sink",
                          sink.config.name,
                          {RD_KAFKA_CONSUMER,
                           kafka::merge(plan.config.kafka, sink.config.kafka)},
                          start_plugin_check(sink, timeout)});
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
    bool reached = true;
    out << connector.kind << " '" << connector.name << "':\n    ";
    try {
      out << brokers_line(probes.at(connector.probe).get()) << "\n";
    } catch (const std::exception& error) {
      out << failure_line(connector, error.what()) << "\n";
      reached = false;
    }
    const bool sink = std::string_view(connector.kind) == "sink";
    const char* what = sink ? "target" : "origin";
    if (connector.plugin_check) {
      const std::string line = connector.plugin_check->get();
      out << "    " << what << ": " << line << "\n";
      if (line.starts_with("FAILED")) reached = false;
    } else if (sink) {
      out << "    target: not checked (plugin has no connection check)\n";
    }
    if (!reached) ++failed;
  }
  return failed;
}

}  // namespace rdconnect::cli
