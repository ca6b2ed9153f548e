#include "http/metrics_text.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <array>
#include <functional>
#include <string_view>

#include <prometheus/text_serializer.h>

namespace rdconnect::http {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using runtime::ConnectorSnapshot;

constexpr std::array<std::string_view, 7> kStates = {
    "CREATED",    "RUNNING", "PAUSED",  "FAILED",
    "RESTARTING", "STOPPED", "FINISHED"};

std::vector<ClientMetric::Label> labels_of(const ConnectorSnapshot& connector) {
  return {{"connector", connector.name}, {"type", connector.kind}};
}

ClientMetric counter(const ConnectorSnapshot& connector, double value) {
  ClientMetric metric;
  metric.label = labels_of(connector);
  metric.counter.value = value;
  return metric;
}

ClientMetric gauge(const ConnectorSnapshot& connector, double value) {
  ClientMetric metric;
  metric.label = labels_of(connector);
  metric.gauge.value = value;
  return metric;
}

/// One family with a sample per connector that `value` gives one for.
MetricFamily per_connector(
    std::string name, std::string help, MetricType type,
    const std::vector<ConnectorSnapshot>& connectors,
    const std::function<std::optional<double>(const ConnectorSnapshot&)>&
        value) {
  MetricFamily family{std::move(name), std::move(help), type, {}};
  for (const ConnectorSnapshot& connector : connectors) {
    const std::optional<double> sample = value(connector);
    if (!sample) continue;
    family.metric.push_back(type == MetricType::Counter
                                ? counter(connector, *sample)
                                : gauge(connector, *sample));
  }
  return family;
}

/// One family with a sample per partition of each sink that `value` gives
/// one for, labelled with the partition.
MetricFamily per_partition(std::string name, std::string help,
                           const std::vector<ConnectorSnapshot>& connectors,
                           const std::function<std::optional<double>(
                               const runtime::PartitionLagSample&)>& value) {
  MetricFamily family{std::move(name), std::move(help), MetricType::Gauge, {}};
  for (const ConnectorSnapshot& connector : connectors) {
    for (const runtime::PartitionLagSample& partition :
         connector.partition_lags) {
      const std::optional<double> sample = value(partition);
      if (!sample) continue;
      ClientMetric metric = gauge(connector, *sample);
      metric.label.push_back({"topic", partition.topic});
      metric.label.push_back(
          {"partition", std::to_string(partition.partition)});
      family.metric.push_back(std::move(metric));
    }
  }
  return family;
}

using BrokerValue =
    std::function<std::optional<double>(const kafka::BrokerStatistics&)>;

/// A series of a per-broker family: its extra labels (a quantile, a kind)
/// and how to read its value from a broker's statistics.
struct BrokerSeries {
  std::vector<ClientMetric::Label> labels;
  BrokerValue value;
};

/// One family with a sample per series and broker of each Kafka client
/// that the series' value gives one for, labelled with the client and the
/// broker.
MetricFamily per_broker(std::string name, std::string help, MetricType type,
                        const std::vector<ConnectorSnapshot>& connectors,
                        const std::vector<BrokerSeries>& series) {
  MetricFamily family{std::move(name), std::move(help), type, {}};
  for (const BrokerSeries& one : series) {
    for (const ConnectorSnapshot& connector : connectors) {
      for (const runtime::KafkaClients::Entry& client :
           connector.kafka_clients) {
        if (!client.statistics) continue;
        for (const kafka::BrokerStatistics& broker :
             client.statistics->brokers) {
          const std::optional<double> sample = one.value(broker);
          if (!sample) continue;
          ClientMetric metric = type == MetricType::Counter
                                    ? counter(connector, *sample)
                                    : gauge(connector, *sample);
          metric.label.push_back({"client", client.client});
          metric.label.push_back({"broker", broker.name});
          metric.label.insert(metric.label.end(), one.labels.begin(),
                              one.labels.end());
          family.metric.push_back(std::move(metric));
        }
      }
    }
  }
  return family;
}

std::vector<MetricFamily> broker_families(
    const std::vector<ConnectorSnapshot>& connectors) {
  using kafka::BrokerStatistics;
  const auto number = [](uint64_t BrokerStatistics::*field) {
    return BrokerValue([field](const BrokerStatistics& broker) {
      return std::optional<double>(static_cast<double>(broker.*field));
    });
  };
  const auto seconds = [](std::optional<double> BrokerStatistics::*field) {
    return BrokerValue(
        [field](const BrokerStatistics& broker) { return broker.*field; });
  };
  const BrokerValue up = [](const BrokerStatistics& broker) {
    return std::optional<double>(broker.up ? 1.0 : 0.0);
  };
  return {
      per_broker("rdconnect_kafka_broker_connected",
                 "1 while the Kafka client's connection to the broker is up",
                 MetricType::Gauge, connectors, {{{}, up}}),
      per_broker(
          "rdconnect_kafka_broker_rtt_seconds",
          "Round-trip time of the client's requests to the broker in "
          "the last statistics interval, by quantile",
          MetricType::Gauge, connectors,
          {{{{"quantile", "0.5"}}, seconds(&BrokerStatistics::rtt_p50_seconds)},
           {{{"quantile", "0.99"}},
            seconds(&BrokerStatistics::rtt_p99_seconds)}}),
      per_broker("rdconnect_kafka_broker_requests_total",
                 "Requests the client sent to the broker", MetricType::Counter,
                 connectors, {{{}, number(&BrokerStatistics::requests)}}),
      per_broker(
          "rdconnect_kafka_broker_request_errors_total",
          "Requests to the broker that failed, by kind: send, receive, "
          "timeout",
          MetricType::Counter, connectors,
          {{{{"kind", "send"}}, number(&BrokerStatistics::send_errors)},
           {{{"kind", "receive"}}, number(&BrokerStatistics::receive_errors)},
           {{{"kind", "timeout"}},
            number(&BrokerStatistics::request_timeouts)}}),
      per_broker("rdconnect_kafka_broker_disconnects_total",
                 "Times the client's connection to the broker was lost",
                 MetricType::Counter, connectors,
                 {{{}, number(&BrokerStatistics::disconnects)}}),
  };
}

// The oldest record any partition of the sink holds back; partitions
// whose record was not read count for nothing.
std::optional<double> max_lag_seconds(const ConnectorSnapshot& connector) {
  std::optional<double> max;
  for (const runtime::PartitionLagSample& partition :
       connector.partition_lags) {
    if (partition.seconds) max = std::max(max.value_or(0), *partition.seconds);
  }
  return max;
}

// The enum as Prometheus has it: one series per state, 1 for the current.
MetricFamily states(const std::vector<ConnectorSnapshot>& connectors) {
  MetricFamily family{"rdconnect_connector_state",
                      "1 for the connector's current state, 0 for the others",
                      MetricType::Gauge,
                      {}};
  for (const ConnectorSnapshot& connector : connectors) {
    for (std::string_view state : kStates) {
      ClientMetric metric = gauge(connector, connector.state == state ? 1 : 0);
      metric.label.push_back({"state", std::string(state)});
      family.metric.push_back(std::move(metric));
    }
  }
  return family;
}

// By stage, each of the stages of the connector's kind.
MetricFamily record_errors(const std::vector<ConnectorSnapshot>& connectors) {
  MetricFamily family{"rdconnect_connector_record_errors_total",
                      "Records that failed for good, by stage",
                      MetricType::Counter,
                      {}};
  for (const ConnectorSnapshot& connector : connectors) {
    for (size_t stage = 0; stage < runtime::kRecordStages.size(); ++stage) {
      const runtime::RecordStage& known = runtime::kRecordStages[stage];
      if (known.kind != connector.kind) continue;
      ClientMetric metric =
          counter(connector,
                  static_cast<double>(connector.record_errors_by_stage[stage]));
      metric.label.push_back({"stage", std::string(known.name)});
      family.metric.push_back(std::move(metric));
    }
  }
  return family;
}

MetricFamily plugin_calls(const std::vector<ConnectorSnapshot>& connectors) {
  MetricFamily family{"rdconnect_plugin_call_duration_seconds",
                      "How long calls into the plugin took, by call",
                      MetricType::Histogram,
                      {}};
  for (const ConnectorSnapshot& connector : connectors) {
    for (const auto& [call, histogram] : connector.plugin_calls) {
      ClientMetric metric = histogram;
      metric.label = labels_of(connector);
      metric.label.push_back({"call", call});
      family.metric.push_back(std::move(metric));
    }
  }
  return family;
}

MetricFamily sink_histogram(std::string name, std::string help,
                            const std::vector<ConnectorSnapshot>& connectors,
                            ClientMetric ConnectorSnapshot::*histogram) {
  MetricFamily family{
      std::move(name), std::move(help), MetricType::Histogram, {}};
  for (const ConnectorSnapshot& connector : connectors) {
    if (connector.kind != "sink") continue;
    ClientMetric metric = connector.*histogram;
    metric.label = labels_of(connector);
    family.metric.push_back(std::move(metric));
  }
  return family;
}

MetricFamily build_info() {
  ClientMetric metric;
  metric.label = {{"version", RDCONNECT_VERSION},
                  {"librdkafka_version", rd_kafka_version_str()}};
  metric.gauge.value = 1;
  return {"rdconnect_build_info",
          "1, labelled with the versions of rdconnect and librdkafka",
          MetricType::Gauge,
          {metric}};
}

MetricFamily host_figure(std::string name, std::string help, MetricType type,
                         double value) {
  ClientMetric metric;
  if (type == MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return {std::move(name), std::move(help), type, {metric}};
}

}  // namespace

std::vector<MetricFamily> metric_families(
    const std::vector<ConnectorSnapshot>& connectors,
    const runtime::ReloadCounts& reloads) {
  const auto all = [&](std::string name, std::string help, MetricType type,
                       auto value) {
    return per_connector(std::move(name), std::move(help), type, connectors,
                         [value](const ConnectorSnapshot& connector) {
                           return std::optional<double>(value(connector));
                         });
  };
  std::vector<MetricFamily> families = {
      build_info(),
      host_figure("rdconnect_config_reloads_total",
                  "Config reloads asked for (SIGHUP, POST /reload)",
                  MetricType::Counter, static_cast<double>(reloads.reloads)),
      host_figure("rdconnect_config_reload_failures_total",
                  "Reloads refused (the config did not load) or that left a "
                  "connector not started",
                  MetricType::Counter, static_cast<double>(reloads.failures)),
      host_figure("rdconnect_config_last_reload_successful",
                  "1 when the last reload applied the whole config (or none "
                  "was asked for), 0 when it failed",
                  MetricType::Gauge, reloads.last_successful ? 1.0 : 0.0),
      states(connectors),
      all("rdconnect_connector_paused", "1 while an operator paused it",
          MetricType::Gauge,
          [](const auto& c) { return c.paused ? 1.0 : 0.0; }),
      all("rdconnect_connector_tasks", "Tasks the connector runs",
          MetricType::Gauge,
          [](const auto& c) { return static_cast<double>(c.tasks.size()); }),
      all("rdconnect_connector_records_total",
          "Records delivered to Kafka (sources) or flushed by the plugin "
          "(sinks)",
          MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.records); }),
      all("rdconnect_connector_bytes_total",
          "Key and value bytes of the records delivered (sources) or "
          "flushed (sinks)",
          MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.bytes); }),
      all("rdconnect_connector_received_records_total",
          "Records handed over by the plugin (sources) or consumed from "
          "Kafka (sinks)",
          MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.records_in); }),
      all("rdconnect_connector_received_bytes_total",
          "Key and value bytes of the received records", MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.bytes_in); }),
      record_errors(connectors),
      all("rdconnect_connector_dead_lettered_records_total",
          "Records written to the dead-letter topic", MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.dead_lettered); }),
      all("rdconnect_connector_retries_total",
          "Failed calls retried under the connector's error policy",
          MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.retries); }),
      all("rdconnect_connector_restarts_total",
          "Restarts, automatic and requested", MetricType::Counter,
          [](const auto& c) { return static_cast<double>(c.restarts); }),
      per_connector("rdconnect_sink_lag_records",
                    "Records of the sink's topics its group has not "
                    "committed, as of the last progress report",
                    MetricType::Gauge, connectors,
                    [](const ConnectorSnapshot& c) -> std::optional<double> {
                      if (c.kind != "sink" || c.lag < 0) return std::nullopt;
                      return static_cast<double>(c.lag);
                    }),
      per_partition("rdconnect_sink_partition_lag_records",
                    "Records of the partition the sink's group has not "
                    "committed, as of the last progress report",
                    connectors,
                    [](const runtime::PartitionLagSample& p) {
                      return std::optional<double>(
                          static_cast<double>(p.records));
                    }),
      per_partition(
          "rdconnect_sink_lag_seconds",
          "Age of the partition's oldest record the sink's group "
          "has not committed (0 when caught up), as of the last "
          "progress report",
          connectors,
          [](const runtime::PartitionLagSample& p) { return p.seconds; }),
      per_connector("rdconnect_sink_max_lag_seconds",
                    "The largest rdconnect_sink_lag_seconds of the sink",
                    MetricType::Gauge, connectors, max_lag_seconds),
      per_connector("rdconnect_source_producer_queue_records",
                    "Records in the source's producer queue, not yet "
                    "acknowledged by Kafka",
                    MetricType::Gauge, connectors,
                    [](const ConnectorSnapshot& c) -> std::optional<double> {
                      if (c.kind != "source") return std::nullopt;
                      return static_cast<double>(c.producer_queue);
                    }),
      plugin_calls(connectors),
      sink_histogram("rdconnect_sink_commit_duration_seconds",
                     "How long committing offsets to the group took",
                     connectors, &ConnectorSnapshot::commit_seconds),
      sink_histogram("rdconnect_sink_put_batch_records",
                     "Records handed to one put()", connectors,
                     &ConnectorSnapshot::put_batch_records),
  };
  for (MetricFamily& family : broker_families(connectors)) {
    families.push_back(std::move(family));
  }
  return families;
}

std::string metrics_text(const std::vector<ConnectorSnapshot>& connectors,
                         const runtime::ReloadCounts& reloads) {
  return prometheus::TextSerializer().Serialize(
      metric_families(connectors, reloads));
}

}  // namespace rdconnect::http
