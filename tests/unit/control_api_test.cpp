// The control API's routing and answers without a transport: 404 and 405
// told apart, Connect's error shape, readiness of a host with nothing yet.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

#include "http/control_api.hpp"
#include "http/metrics_text.hpp"
#include "http/status_json.hpp"

namespace rdconnect::http {
namespace {

class ControlApiUnitTest : public ::testing::Test {
 protected:
  ApiResponse get(const std::string& path,
                  std::map<std::string, std::string> query = {}) {
    return api_.handle({"GET", path, std::move(query), ""});
  }

  runtime::ConnectorRegistry registry_{[] {}};
  ControlApi api_{registry_, "127.0.0.1:8083"};
};

TEST_F(ControlApiUnitTest, AnUnknownPathIsA404AndAWrongMethodA405) {
  const ApiResponse missing = get("/nothing/here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body["error_code"], 404);
  const ApiResponse wrong = api_.handle({"POST", "/connectors", {}, ""});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.allow, "GET");
  const ApiResponse pause_by_get = get("/connectors/x/pause");
  EXPECT_EQ(pause_by_get.status, 405);
  EXPECT_EQ(pause_by_get.allow, "PUT");
}

TEST_F(ControlApiUnitTest, AnUnknownConnectorIsA404NamingIt) {
  for (const char* path :
       {"/connectors/ghost", "/connectors/ghost/status",
        "/connectors/ghost/config", "/connectors/ghost/tasks"}) {
    const ApiResponse response = get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_NE(response.body["message"].get<std::string>().find("'ghost'"),
              std::string::npos);
  }
  EXPECT_EQ(api_.handle({"PUT", "/connectors/ghost/resume", {}, ""}).status,
            404);
}

TEST_F(ControlApiUnitTest, AHostWithNoConnectorYetIsAliveButNotReady) {
  EXPECT_EQ(get("/healthz").status, 200);
  const ApiResponse ready = get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_FALSE(ready.body["ready"].get<bool>());
  EXPECT_EQ(get("/connectors").body, nlohmann::json::array());
  EXPECT_EQ(get("/connectors", {{"expand", "status"}}).body,
            nlohmann::json::object());
  EXPECT_EQ(get("/connectors", {{"expand", "x"}}).status, 400);
  EXPECT_EQ(get("/").body["worker_id"], "127.0.0.1:8083");
}

TEST_F(ControlApiUnitTest, RestartFlagsMustBeTrueOrFalse) {
  const ApiResponse response = api_.handle(
      {"POST", "/connectors/x/restart", {{"includeTasks", "1"}}, ""});
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body["message"].get<std::string>().find("includeTasks"),
            std::string::npos);
}

TEST(StatusJsonTest, AFailedConnectorCarriesItsReasonAsTheTrace) {
  runtime::ConnectorSnapshot snapshot;
  snapshot.name = "pg";
  snapshot.kind = "sink";
  snapshot.state = "FAILED";
  snapshot.failure_reason = "flush() failed: connection refused";
  snapshot.tasks = {{0, "FAILED", {}}, {1, "FAILED", {}}};
  const nlohmann::json status = status_json(snapshot, "w");
  EXPECT_EQ(status["connector"]["trace"], snapshot.failure_reason);
  EXPECT_EQ(status["tasks"][1]["trace"], snapshot.failure_reason);
  EXPECT_TRUE(status["lag"].is_null());
  const nlohmann::json ready = readiness_json({snapshot});
  EXPECT_FALSE(ready["ready"].get<bool>());
  EXPECT_EQ(ready["connectors"]["pg"],
            "FAILED: flush() failed: connection refused");
}

TEST(StatusJsonTest, EachSinkTaskListsItsPartitionsWithTheirLag) {
  runtime::ConnectorSnapshot snapshot;
  snapshot.name = "log";
  snapshot.kind = "sink";
  snapshot.state = "RUNNING";
  snapshot.tasks = {{0, "RUNNING", {{"t", 0, 0, std::nullopt}}},
                    {1, "RUNNING", {{"t", 1, 1, 5}, {"t", 2, 1, 5}}}};
  snapshot.partition_lags = {{"t", 1, 3, 0.5}, {"t", 2, 4, 1.0}};
  const nlohmann::json tasks = status_json(snapshot, "w")["tasks"];
  EXPECT_EQ(tasks[0]["partitions"],
            nlohmann::json::parse(
                R"([{"topic": "t", "partition": 0, "lag": null}])"));
  EXPECT_TRUE(tasks[0]["lag"].is_null()) << "partition 0's lag is not known";
  EXPECT_EQ(
      tasks[1]["partitions"][1],
      nlohmann::json::parse(R"({"topic": "t", "partition": 2, "lag": 4})"));
  EXPECT_EQ(tasks[1]["lag"], 7);

  snapshot.kind = "source";
  snapshot.tasks = {{0, "RUNNING", {}}};
  EXPECT_FALSE(status_json(snapshot, "w")["tasks"][0].contains("partitions"));
}

TEST(StatusJsonTest, SecretsStayMaskedInTheConfig) {
  runtime::ConnectorSnapshot snapshot;
  snapshot.plugin = "postgres_sink";
  config::ResolvedPluginConfig resolved;
  resolved.add({"dsn", "password=hunter2", true});
  resolved.add({"table", "t", false});
  snapshot.config = resolved.masked_entries();
  const nlohmann::json config = config_json(snapshot);
  EXPECT_EQ(config["dsn"], "********");
  EXPECT_EQ(config["table"], "t");
  EXPECT_EQ(config.dump().find("hunter2"), std::string::npos);
}

// A source and a sink that have done everything the metrics describe.
std::vector<runtime::ConnectorSnapshot> busy_connectors() {
  runtime::ConnectorSnapshot source;
  source.name = "uuids";
  source.kind = "source";
  source.state = "RUNNING";
  source.tasks = {{0, "RUNNING", {}}};
  source.records = 10;
  source.bytes = 640;
  source.record_errors_by_stage[runtime::record_stage_index("produce")] = 2;
  runtime::CallDurations calls;
  calls.observe("poll", std::chrono::milliseconds(3));
  source.plugin_calls = calls.collect();
  runtime::ConnectorSnapshot sink = source;
  sink.name = "log";
  sink.kind = "sink";
  sink.state = "PAUSED";
  sink.paused = true;
  sink.lag = 5;
  sink.partition_lags = {{"t", 0, 5, 2.5}};
  kafka::BrokerStatistics broker;
  broker.name = "127.0.0.1:9092/1";
  broker.node_id = 1;
  broker.up = true;
  broker.rtt_p50_seconds = 0.002;
  broker.rtt_p99_seconds = 0.01;
  broker.requests = 12;
  broker.request_timeouts = 1;
  sink.kafka_clients = {
      {"sink-log#0", kafka::ClientStatistics{"sink-log#0", {broker}}}};
  return {source, sink};
}

std::set<std::string> documented_metrics() {
  std::ifstream doc(std::string(RDCONNECT_SOURCE_DIR) + "/docs/metrics.md");
  EXPECT_TRUE(doc) << "docs/metrics.md not found";
  const std::regex row("^\\| `(rdconnect_[a-z_]+)` \\|");
  std::set<std::string> names;
  std::smatch match;
  for (std::string line; std::getline(doc, line);) {
    if (std::regex_search(line, match, row)) names.insert(match[1]);
  }
  return names;
}

TEST(MetricsTextTest, TheEndpointServesExactlyTheDocumentedMetrics) {
  std::set<std::string> served;
  for (const auto& family : metric_families(busy_connectors())) {
    served.insert(family.name);
    EXPECT_FALSE(family.metric.empty()) << family.name << " has no sample";
  }
  EXPECT_EQ(served, documented_metrics());
}

TEST(MetricsTextTest, RecordErrorsAreByStageOfTheConnectorsKind) {
  const std::string text = metrics_text(busy_connectors());
  const std::string source = "{connector=\"uuids\",type=\"source\",stage=";
  const std::string sink = "{connector=\"log\",type=\"sink\",stage=";
  for (const std::string& line :
       {"rdconnect_connector_record_errors_total" + source + "\"produce\"} 2",
        "rdconnect_connector_record_errors_total" + source +
            "\"partitioner\"} 0",
        "rdconnect_connector_record_errors_total" + sink + "\"plugin\"} 0",
        "rdconnect_connector_record_errors_total" + sink + "\"size\"} 0",
        std::string("rdconnect_connector_bytes_total{connector=\"uuids\","
                    "type=\"source\"} 640")}) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line;
  }
  EXPECT_EQ(text.find(sink + "\"produce\""), std::string::npos);
  EXPECT_EQ(text.find(source + "\"size\""), std::string::npos);
}

TEST(MetricsTextTest, BrokerSeriesNameTheClientAndTheBroker) {
  const std::string text = metrics_text(busy_connectors());
  const std::string labels =
      "connector=\"log\",type=\"sink\",client=\"sink-log#0\","
      "broker=\"127.0.0.1:9092/1\"";
  for (const std::string& line :
       {"rdconnect_kafka_broker_connected{" + labels + "} 1",
        "rdconnect_kafka_broker_rtt_seconds{" + labels +
            ",quantile=\"0.99\"} 0.01",
        "rdconnect_kafka_broker_requests_total{" + labels + "} 12",
        "rdconnect_kafka_broker_request_errors_total{" + labels +
            ",kind=\"timeout\"} 1",
        "rdconnect_kafka_broker_request_errors_total{" + labels +
            ",kind=\"send\"} 0"}) {
    EXPECT_NE(text.find(line + "\n"), std::string::npos) << line;
  }
}

TEST(ReadinessTest, ARunningConnectorIsReadyOnlyOnceItsClientsAreConnected) {
  std::vector<runtime::ConnectorSnapshot> connectors = busy_connectors();
  runtime::ConnectorSnapshot& sink = connectors[1];
  sink.state = "RUNNING";
  sink.paused = false;
  EXPECT_TRUE(readiness_json(connectors)["ready"].get<bool>());

  sink.kafka_clients.push_back({"sink-log#1", std::nullopt});
  nlohmann::json body = readiness_json(connectors);
  EXPECT_FALSE(body["ready"].get<bool>());
  EXPECT_EQ(body["connectors"]["log"],
            "RUNNING, but Kafka client sink-log#1 has not connected yet");
  EXPECT_FALSE(body["connectors"].contains("uuids"));

  kafka::BrokerStatistics down;
  down.name = "127.0.0.1:9092/bootstrap";
  sink.kafka_clients.back().statistics =
      kafka::ClientStatistics{"sink-log#1", {down}};
  body = readiness_json(connectors);
  EXPECT_EQ(body["connectors"]["log"],
            "RUNNING, but Kafka client sink-log#1 is connected to no broker");

  sink.kafka_clients.back().statistics->brokers[0].up = true;
  EXPECT_TRUE(readiness_json(connectors)["ready"].get<bool>());
}

TEST(MetricsTextTest, SamplesCarryTheConnectorAndFollowPrometheusNaming) {
  const std::string text = metrics_text(busy_connectors());
  EXPECT_NE(text.find("# TYPE rdconnect_connector_records_total counter"),
            std::string::npos);
  EXPECT_NE(text.find("rdconnect_connector_records_total{connector=\"log\","
                      "type=\"sink\"} 10"),
            std::string::npos)
      << text;
  EXPECT_NE(
      text.find("rdconnect_connector_state{connector=\"log\",type=\"sink\","
                "state=\"PAUSED\"} 1"),
      std::string::npos);
  EXPECT_NE(
      text.find("rdconnect_connector_state{connector=\"log\",type=\"sink\","
                "state=\"RUNNING\"} 0"),
      std::string::npos);
  EXPECT_NE(
      text.find("rdconnect_plugin_call_duration_seconds_bucket{connector="
                "\"uuids\",type=\"source\",call=\"poll\",le=\"0.005\"} 1"),
      std::string::npos)
      << text;
  EXPECT_NE(
      text.find(
          "rdconnect_sink_lag_records{connector=\"log\",type=\"sink\"} 5"),
      std::string::npos);
  EXPECT_NE(text.find("rdconnect_sink_lag_seconds{connector=\"log\",type="
                      "\"sink\",topic=\"t\",partition=\"0\"} 2.5"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("rdconnect_sink_partition_lag_records{connector=\"log\","
                      "type=\"sink\",topic=\"t\",partition=\"0\"} 5"),
            std::string::npos);
  // Every counter ends in _total; every family is rdconnect_ snake_case.
  const std::regex type_line("# TYPE (\\S+) (\\S+)");
  for (std::sregex_iterator it(text.begin(), text.end(), type_line), end;
       it != end; ++it) {
    const std::string name = (*it)[1];
    EXPECT_TRUE(std::regex_match(name, std::regex("rdconnect_[a-z_]+")))
        << name;
    if ((*it)[2] == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
  }
}

}  // namespace
}  // namespace rdconnect::http
