#include "reference_serializer.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "child_process.hpp"
#include "host_fixture.hpp"
#include "kafka_test_cluster.hpp"

namespace rdconnect::testing {
namespace {

std::string required_env(const char* name, const char* what) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(fmt::format(
        "{} is not set: {}; start the services with `scripts/services.sh up` "
        "and load `scripts/services.sh env`",
        name, what));
  }
  return value;
}

}  // namespace

ReferenceSerializer::ReferenceSerializer()
    : registry_url_(required_env("SCHEMA_REGISTRY_URL",
                                 "the schema tests need the registry")),
      python_(required_env("RDCONNECT_PYTHON",
                           "the schema tests need the Python of the "
                           "reference serializers")) {}

int32_t ReferenceSerializer::produce(const ScratchDirectory& scratch,
                                     const std::string& topic,
                                     std::string_view format,
                                     std::string_view schema,
                                     const std::vector<nlohmann::json>& values,
                                     std::string_view key_prefix) {
  const std::string run = "reference-" + std::to_string(++runs_);
  const auto schema_file = scratch / (run + ".schema");
  write_text(schema_file, std::string(schema));
  std::string lines;
  for (size_t i = 0; i < values.size(); ++i) {
    lines += nlohmann::json{{"key", fmt::format("{}{}", key_prefix, i)},
                            {"value", values[i]}}
                 .dump();
    lines += '\n';
  }
  const auto input = scratch / (run + ".jsonl");
  write_text(input, lines);
  ChildProcess producer(
      {python_, python_support_script("schema_produce.py").string(),
       "--bootstrap", kafka_bootstrap(), "--registry", registry_url_, "--topic",
       topic, "--format", std::string(format), "--schema", schema_file.string(),
       "--input", input.string()},
      {}, scratch / run);
  const std::optional<int> code = producer.wait(std::chrono::seconds(60));
  EXPECT_EQ(code, std::optional<int>(0)) << producer.stderr_text();
  const nlohmann::json summary =
      nlohmann::json::parse(producer.stdout_text(), nullptr, false);
  EXPECT_TRUE(summary.is_object()) << producer.stdout_text();
  if (!summary.is_object()) return -1;
  EXPECT_EQ(summary.value("produced", -1), static_cast<int>(values.size()));
  return summary.value("schema_id", -1);
}

std::vector<nlohmann::json> ReferenceSerializer::consume(
    const ScratchDirectory& scratch, const std::string& topic,
    std::string_view format, size_t expected) {
  const std::string run = "reference-" + std::to_string(++runs_);
  const auto output = scratch / (run + ".jsonl");
  ChildProcess consumer(
      {python_, python_support_script("schema_consume.py").string(),
       "--bootstrap", kafka_bootstrap(), "--registry", registry_url_, "--topic",
       topic, "--format", std::string(format), "--expect",
       std::to_string(expected), "--output", output.string()},
      {}, scratch / run);
  const std::optional<int> code = consumer.wait(std::chrono::seconds(90));
  EXPECT_EQ(code, std::optional<int>(0)) << consumer.stderr_text();
  std::vector<nlohmann::json> records;
  if (code != std::optional<int>(0)) return records;
  for (const std::string& line : read_lines(output)) {
    records.push_back(nlohmann::json::parse(line));
  }
  return records;
}

std::string ReferenceSerializer::avro_log_sink_config(
    const std::string& topic, const std::string& dlq_topic,
    const std::filesystem::path& log_path) const {
  return std::string(kConfigPrelude) +
         fmt::format(R"([[sink]]
name = "decoded"
plugin = "log_sink"
topics = ["{}"]
value_format = "avro"
flush_interval_ms = 200
[sink.schema_registry]
url = "{}"
timeout_ms = 1000
[sink.errors]
retry_max_delay_ms = 2000
tolerance = "all"
dlq_topic = "{}"
[sink.config]
path = "{}"
format = "json"
)",
                     topic, registry_url_, dlq_topic, log_path.string());
}

}  // namespace rdconnect::testing
