// Parsing and checking of the host's config file, and ${env:...} expansion.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/env_expand.hpp"
#include "config/host_config.hpp"
#include "config_text.hpp"
#include "kafka/property_names.hpp"

namespace rdconnect::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using Problems = std::vector<std::string>;

// A connector that is fine, appended to configs whose point is elsewhere.
constexpr std::string_view kValidSink = R"(
[[sink]]
name = "ok"
plugin = "log_sink"
topics = ["t"]
)";

std::string with_valid_sink(std::string_view text) {
  return std::string(text) + std::string(kValidSink);
}

// ---------------------------------------------------------------- valid

constexpr std::string_view kFullConfig = R"([host]
status_interval_ms = 2500

[kafka]
"bootstrap.servers" = "broker:9092"
"socket.keepalive.enable" = true
"message.max.bytes" = 2000000

[[source]]
name = "uuids"
plugin = "uuid_source"
topic = "users"
partitioner = "uuid_mod"
[source.topic_creation]
partitions = 2
replication_factor = 3
configs = { "cleanup.policy" = "compact", "min.insync.replicas" = 2, "preallocate" = false }
[source.kafka]
"linger.ms" = 5
[source.config]
count = 10000
keys = "random"

[[sink]]
name = "log"
plugin = "log_sink"
topics = ["users", "orders"]
group_id = "log-group"
tasks = 2
flush_interval_ms = 250
max_batch_records = 500
[sink.kafka]
"auto.offset.reset" = "earliest"
[sink.config]
path = "/tmp/out.jsonl"
)";

TEST(HostConfigTest, FullConfigParsesToExactValues) {
  const HostConfig config = parse(kFullConfig);

  EXPECT_EQ(config.path, kFile);
  EXPECT_EQ(config.host.status_interval_ms, 2500);
  EXPECT_EQ(config.kafka, (std::map<std::string, std::string>{
                              {"bootstrap.servers", "broker:9092"},
                              {"message.max.bytes", "2000000"},
                              {"socket.keepalive.enable", "true"}}));

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.name, "uuids");
  EXPECT_EQ(source.topic, "users");
  EXPECT_EQ(source.partitioner, PartitionerKind::uuid_mod);
  ASSERT_TRUE(source.topic_creation.has_value());
  EXPECT_EQ(source.topic_creation->partitions, 2);
  EXPECT_EQ(source.topic_creation->replication_factor, 3);
  EXPECT_EQ(source.topic_creation->configs,
            (std::map<std::string, std::string>{{"cleanup.policy", "compact"},
                                                {"min.insync.replicas", "2"},
                                                {"preallocate", "false"}}));
  EXPECT_EQ(source.kafka,
            (std::map<std::string, std::string>{{"linger.ms", "5"}}));
  EXPECT_EQ(source.location.file, "test.toml");
  EXPECT_EQ(source.location.line, 9u);
  EXPECT_EQ(source.location.column, 1u);
  EXPECT_EQ(source.settings.plugin, "uuid_source");
  EXPECT_EQ(source.settings.location.line, 20u);
  EXPECT_EQ(source.settings.location.column, 1u);
  EXPECT_EQ(source.settings.table.size(), 2u);
  EXPECT_EQ(source.settings.table["count"].value<int64_t>(), 10000);
  EXPECT_EQ(source.settings.table["keys"].value<std::string>(), "random");
  // Positions inside [source.config] survive for resolve_plugin_config.
  EXPECT_EQ(source.settings.table["keys"].node()->source().begin.line, 22u);
  EXPECT_EQ(source.settings.table["keys"].node()->source().begin.column, 8u);

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  EXPECT_EQ(sink.name, "log");
  EXPECT_EQ(sink.topics, (std::vector<std::string>{"users", "orders"}));
  EXPECT_EQ(sink.group_id, "log-group");
  EXPECT_EQ(sink.tasks, 2);
  EXPECT_EQ(sink.flush_interval_ms, 250);
  EXPECT_EQ(sink.max_batch_records, 500);
  EXPECT_FALSE(sink.topic_creation.has_value());
  EXPECT_EQ(
      sink.kafka,
      (std::map<std::string, std::string>{{"auto.offset.reset", "earliest"}}));
  EXPECT_EQ(sink.location.line, 24u);
  EXPECT_EQ(sink.settings.plugin, "log_sink");
  EXPECT_EQ(sink.settings.location.line, 34u);
  EXPECT_EQ(sink.settings.table["path"].value<std::string>(), "/tmp/out.jsonl");
}

TEST(HostConfigTest, OmittedSettingsTakeTheirDefaults) {
  const HostConfig config = parse(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
topic_creation = { partitions = 4 }

[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
)");

  EXPECT_EQ(config.host.status_interval_ms, 5000);
  EXPECT_TRUE(config.kafka.empty());

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.partitioner, PartitionerKind::librdkafka_default);
  ASSERT_TRUE(source.topic_creation.has_value());
  EXPECT_EQ(source.topic_creation->partitions, 4);
  EXPECT_EQ(source.topic_creation->replication_factor, 1);
  EXPECT_TRUE(source.topic_creation->configs.empty());
  EXPECT_TRUE(source.kafka.empty());
  EXPECT_TRUE(source.settings.table.empty());
  // Without a [source.config] table, problems point at the connector.
  EXPECT_EQ(source.settings.location.line, 1u);
  EXPECT_EQ(source.settings.location.column, 1u);

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  EXPECT_EQ(sink.group_id, "rdconnect-k");
  EXPECT_EQ(sink.tasks, 1);
  EXPECT_EQ(sink.flush_interval_ms, 1000);
  EXPECT_EQ(sink.max_batch_records, 1000);
  EXPECT_FALSE(sink.topic_creation.has_value());
  EXPECT_EQ(sink.settings.location.line, 7u);
}

void expect_default_policies(int32_t call_timeout_ms, const ErrorPolicy& errors,
                             const RestartPolicy& restart) {
  EXPECT_EQ(call_timeout_ms, 60000);
  EXPECT_EQ(errors.tolerance, ErrorTolerance::none);
  EXPECT_EQ(errors.retry_timeout_ms, 300000);
  EXPECT_EQ(errors.retry_max_delay_ms, 30000);
  EXPECT_EQ(errors.dlq_topic, "");
  EXPECT_TRUE(errors.dlq_context_headers);
  EXPECT_EQ(errors.dlq_partitions, 1);
  EXPECT_EQ(errors.dlq_replication_factor, 1);
  EXPECT_TRUE(restart.enabled);
  EXPECT_EQ(restart.max_restarts, 10);
  EXPECT_EQ(restart.initial_delay_ms, 1000);
  EXPECT_EQ(restart.max_delay_ms, 60000);
}

TEST(HostConfigTest, OmittedOrEmptyPolicyTablesTakeTheirDefaults) {
  const HostConfig config = parse(R"([[source]]
name = "s"
plugin = "p"
topic = "t"

[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
[sink.errors]
[sink.restart]
)");

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  expect_default_policies(source.call_timeout_ms, source.errors,
                          source.restart);

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  expect_default_policies(sink.call_timeout_ms, sink.errors, sink.restart);
  EXPECT_EQ(sink.max_record_bytes, 0);
}

TEST(HostConfigTest, PolicyTablesParseToExactValues) {
  const HostConfig config = parse(R"([[source]]
name = "s"
plugin = "p"
topic = "users"
call_timeout_ms = 1
[source.errors]
tolerance = "all"
retry_timeout_ms = 0
retry_max_delay_ms = 2147483647
dlq_topic = "users.failed"
dlq_context_headers = false
dlq_partitions = 3
dlq_replication_factor = 32767
[source.restart]
enabled = false
max_restarts = 1
initial_delay_ms = 5
max_delay_ms = 5

[[sink]]
name = "k"
plugin = "q"
topics = ["users", "orders"]
max_record_bytes = 2147483647
call_timeout_ms = 2147483647
errors = { tolerance = "all", retry_timeout_ms = 2147483647, dlq_topic = "users.dlq" }
restart = { max_restarts = 2147483647, initial_delay_ms = 250, max_delay_ms = 2147483647 }
)");

  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.call_timeout_ms, 1);
  EXPECT_EQ(source.errors.tolerance, ErrorTolerance::all);
  EXPECT_EQ(source.errors.retry_timeout_ms, 0);
  EXPECT_EQ(source.errors.retry_max_delay_ms, 2147483647);
  EXPECT_EQ(source.errors.dlq_topic, "users.failed");
  EXPECT_FALSE(source.errors.dlq_context_headers);
  EXPECT_EQ(source.errors.dlq_partitions, 3);
  EXPECT_EQ(source.errors.dlq_replication_factor, 32767);
  EXPECT_FALSE(source.restart.enabled);
  EXPECT_EQ(source.restart.max_restarts, 1);
  EXPECT_EQ(source.restart.initial_delay_ms, 5);
  EXPECT_EQ(source.restart.max_delay_ms, 5);

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  EXPECT_EQ(sink.max_record_bytes, 2147483647);
  EXPECT_EQ(sink.call_timeout_ms, 2147483647);
  EXPECT_EQ(sink.errors.tolerance, ErrorTolerance::all);
  EXPECT_EQ(sink.errors.retry_timeout_ms, 2147483647);
  EXPECT_EQ(sink.errors.retry_max_delay_ms, 30000);
  EXPECT_EQ(sink.errors.dlq_topic, "users.dlq");
  EXPECT_TRUE(sink.errors.dlq_context_headers);
  EXPECT_EQ(sink.errors.dlq_partitions, 1);
  EXPECT_EQ(sink.errors.dlq_replication_factor, 1);
  EXPECT_TRUE(sink.restart.enabled);
  EXPECT_EQ(sink.restart.max_restarts, 2147483647);
  EXPECT_EQ(sink.restart.initial_delay_ms, 250);
  EXPECT_EQ(sink.restart.max_delay_ms, 2147483647);
}

TEST(HostConfigTest, ToleranceAllNeedsNoDeadLetterTopic) {
  const HostConfig config = parse(R"([[sink]]
name = "k"
plugin = "q"
topics = ["t"]
errors = { tolerance = "all" }
)");
  ASSERT_EQ(config.sinks.size(), 1u);
  EXPECT_EQ(config.sinks[0].errors.tolerance, ErrorTolerance::all);
  EXPECT_EQ(config.sinks[0].errors.dlq_topic, "");
}

TEST(HostConfigTest, EveryPartitionerNameIsAccepted) {
  const std::map<std::string, PartitionerKind> names = {
      {"uuid_mod", PartitionerKind::uuid_mod},
      {"murmur2", PartitionerKind::murmur2},
      {"murmur3", PartitionerKind::murmur3},
      {"default", PartitionerKind::librdkafka_default}};
  for (const auto& [name, kind] : names) {
    const HostConfig config = parse(
        "[[source]]\nname = \"s\"\nplugin = \"p\"\ntopic = \"t\"\n"
        "partitioner = \"" +
        name + "\"\n");
    ASSERT_EQ(config.sources.size(), 1u);
    EXPECT_EQ(config.sources[0].partitioner, kind) << name;
  }
}

TEST(HostConfigTest, SourcesAloneOrSinksAloneAreEnough) {
  EXPECT_EQ(parse("[[source]]\nname = \"s\"\nplugin = \"p\"\ntopic = \"t\"\n")
                .sources.size(),
            1u);
  EXPECT_EQ(parse(kValidSink).sinks.size(), 1u);
}

// --------------------------------------------------------------- errors

TEST(HostConfigErrorTest, SyntaxErrorReportsTomlPosition) {
  EXPECT_EQ(problems_of("[[source]]\nname = \n"),
            Problems{"test.toml:2:8: invalid TOML: Error while parsing "
                     "key-value pair: expected value, saw '\\n'"});
  EXPECT_EQ(problems_of("[[source]]\nname = \"a\"\nname = \"b\"\n"),
            Problems{"test.toml:3:8: invalid TOML: Error while parsing "
                     "key-value pair: cannot redefine existing string 'name'"});
}

TEST(HostConfigErrorTest, WrongTypeNamesKeyAndBothTypes) {
  EXPECT_EQ(problems_of(with_valid_sink(R"([[source]]
name = "uuids"
plugin = "uuid_source"
topic = "users"
[source.topic_creation]
partitions = "2"
)")),
            Problems{"test.toml:6:14: source \"uuids\".topic_creation."
                     "partitions: expected an integer, got a string"});
}

TEST(HostConfigErrorTest, IntegersOutOfRangeAreErrors) {
  EXPECT_EQ(
      problems_of(R"([host]
status_interval_ms = 0
[[sink]]
name = "log"
plugin = "log_sink"
topics = ["t"]
tasks = 257
flush_interval_ms = -5
max_batch_records = 3000000000
topic_creation = { partitions = 0, replication_factor = 40000 }
)"),
      (Problems{"test.toml:2:22: host.status_interval_ms: 0 is out of range; "
                "expected an integer from 1 to 2147483647",
                "test.toml:7:9: sink \"log\".tasks: 257 is out of range; "
                "expected an integer from 1 to 256",
                "test.toml:8:21: sink \"log\".flush_interval_ms: -5 is out of "
                "range; expected an integer from 1 to 2147483647",
                "test.toml:9:21: sink \"log\".max_batch_records: 3000000000 is "
                "out of range; expected an integer from 1 to 2147483647",
                "test.toml:10:33: sink \"log\".topic_creation.partitions: 0 is "
                "out of range; expected an integer from 1 to 2147483647",
                "test.toml:10:57: sink \"log\".topic_creation."
                "replication_factor: 40000 is out of range; expected an "
                "integer from 1 to 32767"}));
}

TEST(HostConfigErrorTest, TimeoutsAndRecordSizeOutOfRangeAreErrors) {
  EXPECT_EQ(
      problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
call_timeout_ms = 0
[[sink]]
name = "k"
plugin = "p"
topics = ["t"]
max_record_bytes = -1
call_timeout_ms = 2147483648
)"),
      (Problems{"test.toml:5:19: source \"s\".call_timeout_ms: 0 is out of "
                "range; expected an integer from 1 to 2147483647",
                "test.toml:10:20: sink \"k\".max_record_bytes: -1 is out of "
                "range; expected an integer from 0 to 2147483647",
                "test.toml:11:19: sink \"k\".call_timeout_ms: 2147483648 is "
                "out of range; expected an integer from 1 to 2147483647"}));
}

TEST(HostConfigErrorTest, MissingKeysAreReportedAtTheirTable) {
  EXPECT_EQ(
      problems_of(R"(
[[source]]
name = "s"

[[sink]]
plugin = "log_sink"
topic_creation = { replication_factor = 1 }
)"),
      (Problems{"test.toml:2:1: missing required key 'plugin' in source "
                "\"s\"; add plugin = \"<plugin name>\"",
                "test.toml:2:1: missing required key 'topic' in source \"s\"; "
                "add topic = \"<topic name>\"",
                "test.toml:5:1: missing required key 'name' in sink[0]; add "
                "name = \"<unique name>\"",
                "test.toml:5:1: missing required key 'topics' in sink[0]; add "
                "topics = [\"<topic name>\"]",
                "test.toml:7:18: missing required key 'partitions' in "
                "sink[0].topic_creation; add partitions = <count>"}));
}

TEST(HostConfigErrorTest, ConnectorNamesMustBeValid) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "my sink"
plugin = "log_sink"
topics = ["t"]
[[sink]]
name = ""
plugin = "log_sink"
topics = ["t"]
)"),
            (Problems{"test.toml:2:8: sink[0].name: \"my sink\" is not a "
                      "valid connector name; use only letters, digits, '.', "
                      "'_' and '-'",
                      "test.toml:6:8: sink[1].name: expected a connector "
                      "name, got an empty string"}));
}

TEST(HostConfigErrorTest, DuplicateNameAcrossSourcesAndSinksPointsAtSecond) {
  EXPECT_EQ(problems_of(R"([[source]]
name = "twin"
plugin = "uuid_source"
topic = "t"

[[sink]]
name = "twin"
plugin = "log_sink"
topics = ["t"]
)"),
            Problems{"test.toml:7:8: sink[0].name: the name \"twin\" is "
                     "already used by source \"twin\" at line 2; connector "
                     "names must be unique"});
}

TEST(HostConfigErrorTest, UnknownKeysAreRejectedAtEveryLevel) {
  EXPECT_EQ(
      problems_of(R"(colour = "red"
[host]
status_interval = 5
[[source]]
name = "s"
plugin = "p"
topic = "t"
topics = ["t"]
[source.topic_creation]
partitions = 1
partition = 2
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
group = "g"
)"),
      (Problems{
          "test.toml:1:1: unknown top-level key 'colour'; allowed keys: host, "
          "kafka, source, sink",
          "test.toml:3:1: unknown key 'status_interval' in host (did you mean "
          "'status_interval_ms'?); allowed keys: status_interval_ms, "
          "shutdown_timeout_ms, http_listen, http_token",
          "test.toml:8:1: unknown key 'topics' in source \"s\" (did you mean "
          "'topic'?); allowed keys: name, plugin, topic, partitioner, "
          "value_format, value_schema, value_schema_id, schema_registry, "
          "topic_creation, kafka, call_timeout_ms, errors, restart, config",
          "test.toml:11:1: unknown key 'partition' in source \"s\"."
          "topic_creation (did you mean 'partitions'?); allowed keys: "
          "partitions, replication_factor, configs",
          "test.toml:16:1: unknown key 'group' in sink \"k\" (did you mean "
          "'group_id'?); allowed keys: "
          "name, plugin, topics, group_id, tasks, flush_interval_ms, "
          "max_batch_records, max_record_bytes, key_format, value_format, "
          "schema_registry, topic_creation, kafka, "
          "call_timeout_ms, errors, restart, config"}));
}

TEST(HostConfigErrorTest, UnknownKeysInPolicyTablesListTheAllowedOnes) {
  EXPECT_EQ(
      problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
[source.errors]
dead_letter_topic = "t.dlq"
[source.restart]
retries = 3
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
errors = { tolerance = "all", timeout_ms = 5 }
)"),
      (Problems{
          "test.toml:6:1: unknown key 'dead_letter_topic' in source \"s\"."
          "errors; allowed keys: tolerance, retry_timeout_ms, "
          "retry_max_delay_ms, dlq_topic, dlq_context_headers, "
          "dlq_partitions, dlq_replication_factor",
          "test.toml:8:1: unknown key 'retries' in source \"s\".restart; "
          "allowed keys: enabled, max_restarts, initial_delay_ms, "
          "max_delay_ms",
          "test.toml:13:31: unknown key 'timeout_ms' in sink \"k\".errors "
          "(did you mean 'retry_timeout_ms'?); allowed keys: tolerance, "
          "retry_timeout_ms, retry_max_delay_ms, "
          "dlq_topic, dlq_context_headers, dlq_partitions, "
          "dlq_replication_factor"}));
}

TEST(HostConfigErrorTest, PropertyTablesTakeStringsIntegersAndBooleansOnly) {
  EXPECT_EQ(
      problems_of(with_valid_sink(R"([kafka]
"client.rack" = "x"
"fetch.wait.ratio" = 0.5
[[source]]
name = "s"
plugin = "p"
topic = "t"
kafka = { "acks" = ["all"] }
topic_creation = { partitions = 1, configs = { "retention.ms" = 1979-05-27 } }
)")),
      (Problems{"test.toml:3:22: kafka.\"fetch.wait.ratio\": expected a "
                "string, integer or boolean, got a floating-point number",
                "test.toml:8:20: source \"s\".kafka.acks: expected a string, "
                "integer or boolean, got an array",
                "test.toml:9:65: source \"s\".topic_creation.configs."
                "\"retention.ms\": expected a string, integer or boolean, got "
                "a date"}));
}

// Every librdkafka property is tried on a throwaway conf while the config is
// read, so validate reports what the first client would have failed on.
TEST(HostConfigKafkaTest, PropertiesLibrdkafkaRefusesAreErrorsAtTheirKey) {
  EXPECT_EQ(
      problems_of(R"([kafka]
"bootstrap.server" = "broker:9092"
[[source]]
name = "s"
plugin = "p"
topic = "t"
kafka = { "linger.ms" = "soon" }
[[sink]]
name = "k"
plugin = "p"
topics = ["t"]
[sink.kafka]
  "auto.offset.reset" = "sideways"
"enable.auto.commit" = 2
)"),
      (Problems{
          "test.toml:2:1: kafka.\"bootstrap.server\": librdkafka refuses it: "
          "No such configuration property: \"bootstrap.server\" (did you "
          "mean 'bootstrap.servers'?); see librdkafka's CONFIGURATION.md for "
          "the properties and their values",
          // linger.ms is an alias, and librdkafka names what it stands for.
          "test.toml:7:11: source \"s\".kafka.\"linger.ms\": librdkafka "
          "refuses it: Invalid value for configuration property "
          "\"queue.buffering.max.ms\"; see librdkafka's CONFIGURATION.md "
          "for the properties and their values",
          "test.toml:13:3: sink \"k\".kafka.\"auto.offset.reset\": "
          "librdkafka refuses it: Invalid value \"sideways\" for "
          "configuration property \"auto.offset.reset\"; see librdkafka's "
          "CONFIGURATION.md for the properties and their values",
          "test.toml:14:1: sink \"k\".kafka.\"enable.auto.commit\": "
          "librdkafka refuses it: Expected bool value for "
          "\"enable.auto.commit\": true or false; see librdkafka's "
          "CONFIGURATION.md for the properties and their values"}));
}

TEST(HostConfigKafkaTest, PropertyNamesAreLibrdkafkasGlobalAndTopicOnes) {
  const std::span<const std::string> names = kafka::property_names();
  auto known = [&](std::string_view name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(known("bootstrap.servers"));
  EXPECT_TRUE(known("builtin.features"));   // the first row
  EXPECT_TRUE(known("auto.offset.reset"));  // a topic property
  EXPECT_TRUE(known("linger.ms"));          // an alias
  EXPECT_FALSE(known("Property"));          // the header row
  for (const std::string& name : names) {
    EXPECT_EQ(name.find_first_of(" |-#"), std::string::npos) << name;
  }
  EXPECT_GT(names.size(), 150u);
}

TEST(HostConfigKafkaTest, ValidPropertiesAreKeptAsText) {
  const HostConfig config = parse(with_valid_sink(R"([kafka]
"bootstrap.servers" = "broker:9092"
"queue.buffering.max.ms" = 5
"enable.idempotence" = true
)"));
  EXPECT_EQ(config.kafka, (std::map<std::string, std::string>{
                              {"bootstrap.servers", "broker:9092"},
                              {"enable.idempotence", "true"},
                              {"queue.buffering.max.ms", "5"}}));
}

// A NUL would silently cut a path, table or DSN short at the C API it
// reaches: host settings, plugin settings and Kafka properties refuse it.
TEST(HostConfigErrorTest, StringsHoldingANulAreErrors) {
  EXPECT_EQ(problems_of(R"([kafka]
"sasl.password" = "pw\u0000d"
[[source]]
name = "s"
plugin = "p"
topic = "a\u0000b"
[source.config]
path = "/tmp/x\u0000.txt"
nested = { dsn = ["\u0000"] }
)"),
            (Problems{"test.toml:2:19: kafka.\"sasl.password\": contains a "
                      "NUL character (\\u0000) at character 3, which would "
                      "cut the value short; remove it",
                      "test.toml:6:9: source \"s\".topic: contains a NUL "
                      "character (\\u0000) at character 2, which would cut "
                      "the value short; remove it",
                      "test.toml:8:8: source \"s\".config.path: contains a "
                      "NUL character (\\u0000) at character 7, which would "
                      "cut the value short; remove it",
                      "test.toml:9:19: source \"s\".config.nested.dsn[0]: "
                      "contains a NUL character (\\u0000) at character 1, "
                      "which would cut the value short; remove it"}));
}

TEST(HostConfigErrorTest, ConfigMustBeATable) {
  EXPECT_EQ(problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
config = "count=5"
)"),
            Problems{"test.toml:5:10: source \"s\".config: expected a table, "
                     "got a string"});
}

TEST(HostConfigErrorTest, NothingToRunIsAnError) {
  const Problems expected = {
      "test.toml: nothing to run; add a [[source]] or [[sink]] section"};
  EXPECT_EQ(problems_of(""), expected);
  EXPECT_EQ(problems_of("[host]\nstatus_interval_ms = 10\n"), expected);
  EXPECT_EQ(problems_of("source = []\n"), expected);
}

TEST(HostConfigErrorTest, ConnectorSectionsMustBeArraysOfTables) {
  EXPECT_EQ(problems_of(R"([source]
name = "s"
)"),
            Problems{"test.toml:1:1: source: expected an array of tables "
                     "(write [[source]] with double brackets), got a table"});
  EXPECT_EQ(problems_of("sink = [1]\n"),
            Problems{"test.toml:1:9: sink[0]: expected a table, got an "
                     "integer"});
}

TEST(HostConfigErrorTest, SinkTopicsMustBeNonEmptyNames) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "a"
plugin = "log_sink"
topics = []
[[sink]]
name = "b"
plugin = "log_sink"
topics = ["ok", "", 7]
[[sink]]
name = "c"
plugin = "log_sink"
topics = "t"
)"),
            (Problems{"test.toml:4:10: sink \"a\".topics: expected at least "
                      "one topic name, got an empty array",
                      "test.toml:8:17: sink \"b\".topics[1]: expected a topic "
                      "name, got an empty string",
                      "test.toml:8:21: sink \"b\".topics[2]: expected a "
                      "string, got an integer",
                      "test.toml:12:10: sink \"c\".topics: expected an array, "
                      "got a string"}));
}

TEST(HostConfigErrorTest, UnknownPartitionerListsTheKnownOnes) {
  EXPECT_EQ(problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
partitioner = "round_robin"
)"),
            Problems{"test.toml:5:15: source \"s\".partitioner: unknown "
                     "partitioner \"round_robin\"; expected one of: uuid_mod, "
                     "murmur2, murmur3, default"});
}

TEST(HostConfigErrorTest, PolicySettingsOfTheWrongTypeNameKeyAndBothTypes) {
  EXPECT_EQ(
      problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
call_timeout_ms = "60s"
errors = "all"
restart = false
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
max_record_bytes = "1MB"
[sink.errors]
tolerance = true
retry_timeout_ms = 1.5
dlq_topic = 7
dlq_context_headers = "yes"
dlq_partitions = "3"
[sink.restart]
enabled = 1
initial_delay_ms = "1s"
max_delay_ms = 500
)"),
      (Problems{
          "test.toml:5:19: source \"s\".call_timeout_ms: expected an "
          "integer, got a string",
          "test.toml:6:10: source \"s\".errors: expected a table, got a "
          "string",
          "test.toml:7:11: source \"s\".restart: expected a table, got a "
          "boolean",
          "test.toml:12:20: sink \"k\".max_record_bytes: expected an "
          "integer, got a string",
          "test.toml:14:13: sink \"k\".errors.tolerance: expected a string, "
          "got a boolean",
          "test.toml:15:20: sink \"k\".errors.retry_timeout_ms: expected an "
          "integer, got a floating-point number",
          "test.toml:16:13: sink \"k\".errors.dlq_topic: expected a string, "
          "got an integer",
          "test.toml:17:23: sink \"k\".errors.dlq_context_headers: expected "
          "a boolean, got a string",
          "test.toml:18:18: sink \"k\".errors.dlq_partitions: expected an "
          "integer, got a string",
          "test.toml:20:11: sink \"k\".restart.enabled: expected a boolean, "
          "got an integer",
          // max_delay_ms < the default initial_delay_ms is not reported
          // while initial_delay_ms itself is unusable.
          "test.toml:21:20: sink \"k\".restart.initial_delay_ms: expected an "
          "integer, got a string"}));
}

TEST(HostConfigErrorTest, PolicyIntegersOutOfRangeAreErrors) {
  EXPECT_EQ(
      problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
call_timeout_ms = 0
[source.errors]
retry_timeout_ms = -1
retry_max_delay_ms = 0
dlq_partitions = 0
dlq_replication_factor = 32768
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
max_record_bytes = -1
call_timeout_ms = 2147483648
errors = { retry_timeout_ms = 2147483648, retry_max_delay_ms = 2147483648 }
restart = { max_restarts = 0, initial_delay_ms = 0, max_delay_ms = 2147483648 }
[[sink]]
name = "j"
plugin = "q"
topics = ["t"]
max_record_bytes = 2147483648
)"),
      (Problems{
          "test.toml:5:19: source \"s\".call_timeout_ms: 0 is out of range; "
          "expected an integer from 1 to 2147483647",
          "test.toml:7:20: source \"s\".errors.retry_timeout_ms: -1 is out "
          "of range; expected an integer from 0 to 2147483647",
          "test.toml:8:22: source \"s\".errors.retry_max_delay_ms: 0 is out "
          "of range; expected an integer from 1 to 2147483647",
          "test.toml:9:18: source \"s\".errors.dlq_partitions: 0 is out of "
          "range; expected an integer from 1 to 2147483647",
          "test.toml:10:26: source \"s\".errors.dlq_replication_factor: "
          "32768 is out of range; expected an integer from 1 to 32767",
          "test.toml:15:20: sink \"k\".max_record_bytes: -1 is out of "
          "range; expected an integer from 0 to 2147483647",
          "test.toml:16:19: sink \"k\".call_timeout_ms: 2147483648 is out "
          "of range; expected an integer from 1 to 2147483647",
          "test.toml:17:31: sink \"k\".errors.retry_timeout_ms: 2147483648 "
          "is out of range; expected an integer from 0 to 2147483647",
          "test.toml:17:64: sink \"k\".errors.retry_max_delay_ms: "
          "2147483648 is out of range; expected an integer from 1 to "
          "2147483647",
          "test.toml:18:28: sink \"k\".restart.max_restarts: 0 is out of "
          "range; expected an integer from 1 to 2147483647",
          "test.toml:18:50: sink \"k\".restart.initial_delay_ms: 0 is out "
          "of range; expected an integer from 1 to 2147483647",
          "test.toml:18:68: sink \"k\".restart.max_delay_ms: 2147483648 is "
          "out of range; expected an integer from 1 to 2147483647",
          "test.toml:23:20: sink \"j\".max_record_bytes: 2147483648 is out "
          "of range; expected an integer from 0 to 2147483647"}));
}

TEST(HostConfigErrorTest, UnknownToleranceListsTheKnownOnes) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "k"
plugin = "q"
topics = ["t"]
[sink.errors]
tolerance = "some"
dlq_topic = "t.dlq"
)"),
            // No guess about dlq_topic while the tolerance is unknown.
            Problems{"test.toml:6:13: sink \"k\".errors.tolerance: unknown "
                     "tolerance \"some\"; expected one of: none, all"});
}

TEST(HostConfigErrorTest, DeadLetterTopicNeedsToleranceAll) {
  EXPECT_EQ(problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
errors = { dlq_topic = "t.dlq" }
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
[sink.errors]
tolerance = "none"
dlq_topic = "t.dlq"
)"),
            (Problems{"test.toml:5:24: source \"s\".errors.dlq_topic: "
                      "dlq_topic needs tolerance = \"all\" (with tolerance = "
                      "\"none\" the connector stops at the first failed "
                      "record)",
                      "test.toml:12:13: sink \"k\".errors.dlq_topic: "
                      "dlq_topic needs tolerance = \"all\" (with tolerance = "
                      "\"none\" the connector stops at the first failed "
                      "record)"}));
}

TEST(HostConfigErrorTest, DeadLetterTopicMustBeANonEmptyName) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "k"
plugin = "q"
topics = ["t"]
errors = { tolerance = "all", dlq_topic = "" }
)"),
            Problems{"test.toml:5:43: sink \"k\".errors.dlq_topic: expected "
                     "a topic name, got an empty string"});
}

TEST(HostConfigErrorTest, SinkDeadLetterTopicMustNotBeOneOfItsTopics) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "k"
plugin = "q"
topics = ["users", "orders"]
[sink.errors]
tolerance = "all"
dlq_topic = "orders"
)"),
            Problems{"test.toml:7:13: sink \"k\".errors.dlq_topic: \"orders\" "
                     "is also one of this sink's topics, so its failed records "
                     "would be consumed and fail again (a loop); use a topic "
                     "of its own, such as \"orders.dlq\""});
}

TEST(HostConfigErrorTest, RestartMaxDelayBelowInitialDelayIsAnError) {
  EXPECT_EQ(
      problems_of(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
[source.restart]
initial_delay_ms = 2000
max_delay_ms = 1999
[[sink]]
name = "k"
plugin = "q"
topics = ["t"]
restart = { initial_delay_ms = 60001 }
)"),
      (Problems{"test.toml:7:16: source \"s\".restart.max_delay_ms: 1999 is "
                "less than initial_delay_ms (2000); expected at least 2000, "
                "as the delay between restarts grows from initial_delay_ms "
                "up to max_delay_ms",
                // Without max_delay_ms, the value written is the one to fix.
                "test.toml:12:32: sink \"k\".restart.initial_delay_ms: 60001 "
                "is more than max_delay_ms (60000 by default); lower it or "
                "set max_delay_ms to at least 60001"}));
}

TEST(HostConfigErrorTest, AllProblemsAreReportedTogetherInFileOrder) {
  const std::string text = R"([[sink]]
name = "log"
plugin = "log_sink"
topics = ["t"]
tasks = "two"

[[source]]
name = "log"
topic = 5
)";
  try {
    parse(text);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 4u);
    EXPECT_STREQ(
        error.what(),
        "test.toml:5:9: sink \"log\".tasks: expected an integer, got a "
        "string\n"
        "test.toml:7:1: missing required key 'plugin' in source \"log\"; "
        "add plugin = \"<plugin name>\"\n"
        "test.toml:8:8: source[0].name: the name \"log\" is already used by "
        "sink \"log\" at line 2; connector names must be unique\n"
        "test.toml:9:9: source \"log\".topic: expected a string, got an "
        "integer");
  }
}

TEST(HostConfigErrorTest, ProblemWithoutLineOmitsPosition) {
  const ConfigProblem problem{SourceLocation{"a.toml", 0, 0}, "broken"};
  EXPECT_EQ(problem.to_string(), "a.toml: broken");
  const ConfigProblem placed{SourceLocation{"a.toml", 3, 7}, "broken"};
  EXPECT_EQ(placed.to_string(), "a.toml:3:7: broken");
}

// ----------------------------------------------------------------- files

TEST(HostConfigFileTest, LoadsAConfigFile) {
  const std::filesystem::path path =
      std::filesystem::path(testing::TempDir()) / "rdconnect_config_test.toml";
  std::ofstream(path) << kValidSink;
  const HostConfig config = load_host_config(path);
  std::filesystem::remove(path);

  EXPECT_EQ(config.path, path);
  ASSERT_EQ(config.sinks.size(), 1u);
  EXPECT_EQ(config.sinks[0].name, "ok");
}

TEST(HostConfigFileTest, UnreadableFileIsAConfigErrorNamingIt) {
  const std::filesystem::path path =
      std::filesystem::path(testing::TempDir()) / "no-such-dir" / "x.toml";
  try {
    load_host_config(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    ASSERT_EQ(error.problems().size(), 1u);
    EXPECT_EQ(error.problems()[0].location.file, path.string());
    EXPECT_EQ(error.problems()[0].location.line, 0u);
    EXPECT_EQ(error.problems()[0].message, "cannot read config file " +
                                               path.string() +
                                               ": No such file or directory");
  }
}

TEST(HostConfigFileTest, DirectoryIsNotAConfigFile) {
  const std::filesystem::path path = testing::TempDir();
  try {
    load_host_config(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.what(), path.string() + ": cannot read config file " +
                                path.string() + ": Is a directory");
  }
}

TEST(HostConfigFileTest, DemoConfigParses) {
  // __FILE__ is absolute in this build: the demo is found from the source.
  const std::filesystem::path path =
      std::filesystem::path(__FILE__).parent_path() / "../../configs" /
      "uuid-to-log.toml";
  std::ifstream file(path);
  ASSERT_TRUE(file) << path;
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  const HostConfig config = parse_host_config(text, path, environment({}));

  EXPECT_EQ(config.kafka, (std::map<std::string, std::string>{
                              {"bootstrap.servers", "127.0.0.1:9092"}}));
  ASSERT_EQ(config.sources.size(), 1u);
  const SourceConfig& source = config.sources[0];
  EXPECT_EQ(source.name, "uuids");
  EXPECT_EQ(source.settings.plugin, "uuid_source");
  EXPECT_EQ(source.topic, "uuid-demo");
  EXPECT_EQ(source.partitioner, PartitionerKind::uuid_mod);
  ASSERT_TRUE(source.topic_creation.has_value());
  EXPECT_EQ(source.topic_creation->partitions, 2);
  EXPECT_EQ(source.topic_creation->replication_factor, 1);
  EXPECT_EQ(
      source.topic_creation->configs,
      (std::map<std::string, std::string>{{"cleanup.policy", "compact"}}));
  EXPECT_EQ(source.settings.table["count"].value<int64_t>(), 10000);

  ASSERT_EQ(config.sinks.size(), 1u);
  const SinkConfig& sink = config.sinks[0];
  EXPECT_EQ(sink.name, "log");
  EXPECT_EQ(sink.settings.plugin, "log_sink");
  EXPECT_EQ(sink.topics, std::vector<std::string>{"uuid-demo"});
  EXPECT_EQ(sink.group_id, "rdconnect-log");
  EXPECT_EQ(sink.tasks, 2);
  EXPECT_EQ(sink.settings.table["path"].value<std::string>(),
            "./uuid-log.jsonl");
  EXPECT_EQ(sink.settings.table["format"].value<std::string>(), "json");
}

// ------------------------------------------------------ env expansion

TEST(ExpandEnvTest, SetVariableIsSubstituted) {
  const EnvLookup env = environment({{"HOST", "kafka"}, {"PORT", "9092"}});
  EXPECT_EQ(expand_env("${env:HOST}:${env:PORT}", env), "kafka:9092");
  EXPECT_EQ(expand_env("tcp://${env:HOST}/x", env), "tcp://kafka/x");
  EXPECT_EQ(expand_env("no references $ here {}", env),
            "no references $ here {}");
}

TEST(ExpandEnvTest, DefaultIsUsedWhenUnsetOrEmpty) {
  const EnvLookup env = environment({{"EMPTY", ""}, {"SET", "value"}});
  EXPECT_EQ(expand_env("${env:UNSET:-127.0.0.1:9092}", env), "127.0.0.1:9092");
  EXPECT_EQ(expand_env("${env:EMPTY:-fallback}", env), "fallback");
  EXPECT_EQ(expand_env("${env:SET:-fallback}", env), "value");
  EXPECT_EQ(expand_env("${env:UNSET:-}", env), "");
}

TEST(ExpandEnvTest, SetButEmptyWithoutDefaultIsEmpty) {
  EXPECT_EQ(expand_env("[${env:EMPTY}]", environment({{"EMPTY", ""}})), "[]");
}

TEST(ExpandEnvTest, DefaultMayHoldReferences) {
  const EnvLookup env = environment({{"INNER", "in"}});
  EXPECT_EQ(expand_env("${env:OUTER:-${env:INNER}/x}", env), "in/x");
  // An unset variable in a default that is not used is no error.
  EXPECT_EQ(expand_env("${env:INNER:-${env:UNSET}}", env), "in");
}

TEST(ExpandEnvTest, DoubleDollarIsALiteral) {
  const EnvLookup env = environment({{"X", "1"}});
  EXPECT_EQ(expand_env("$${env:X}", env), "${env:X}");
  EXPECT_EQ(expand_env("a$${b}c${env:X}", env), "a${b}c1");
}

TEST(ExpandEnvTest, UnsetWithoutDefaultIsAnError) {
  try {
    expand_env("${env:KAFKA_PASSWORD}", environment({}));
    FAIL() << "expected an EnvExpandError";
  } catch (const EnvExpandError& error) {
    EXPECT_STREQ(error.what(),
                 "environment variable KAFKA_PASSWORD is not set; set it or "
                 "write ${env:KAFKA_PASSWORD:-default}");
  }
}

TEST(ExpandEnvTest, MalformedReferencesAreErrors) {
  const auto error_of = [](std::string_view text) -> std::string {
    try {
      expand_env(text, environment({}));
    } catch (const EnvExpandError& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(error_of("x${foo}y"),
            "unknown reference at character 2; only ${env:NAME} and "
            "${env:NAME:-default} are supported (write $${ for a literal ${)");
  EXPECT_EQ(error_of("${HOME}"),
            "unknown reference at character 1; only ${env:NAME} and "
            "${env:NAME:-default} are supported (write $${ for a literal ${)");
  EXPECT_EQ(error_of("${env:HOST"),
            "unterminated reference at character 1; close it with '}' (write "
            "$${ for a literal ${)");
  EXPECT_EQ(error_of("ab${env:HOST:-default"),
            "unterminated reference at character 3; close it with '}' (write "
            "$${ for a literal ${)");
  EXPECT_EQ(error_of("${env:MY-HOST}"),
            "invalid environment variable name in the reference at character "
            "1; a name is letters, digits and '_', not starting with a digit "
            "(write ':-' before a default)");
  EXPECT_EQ(error_of("${env:}"),
            "invalid environment variable name in the reference at character "
            "1; a name is letters, digits and '_', not starting with a digit "
            "(write ':-' before a default)");
}

// A password holding "${" is the usual way a secret reaches an expansion
// error; no part of it may appear in the message.
TEST(ExpandEnvTest, ErrorsNeverQuoteTheValue) {
  for (const std::string secret :
       {"pa${ss", "pa${ssword}", "pa${env:ss-word}", "pa${env:ss:-word"}) {
    try {
      expand_env(secret, environment({}));
      ADD_FAILURE() << "expected an EnvExpandError";
    } catch (const EnvExpandError& error) {
      const std::string message = error.what();
      EXPECT_THAT(message, HasSubstr("at character 3")) << message;
      for (const std::string part : {"pa", "ss", "word"}) {
        EXPECT_THAT(message, Not(HasSubstr(part))) << message;
      }
    }
  }
}

TEST(HostConfigEnvTest, SecretKeyErrorNamesKeyAndPositionOnly) {
  const Problems problems = problems_of(with_valid_sink(R"([kafka]
"sasl.password" = "hunter${2"
)"));
  EXPECT_EQ(problems,
            Problems{"test.toml:2:19: kafka.\"sasl.password\": unknown "
                     "reference at character 7; only ${env:NAME}, "
                     "${env:NAME:-default} and ${file:PATH} are supported "
                     "(write $${ for a literal ${)"});
}

TEST(HostConfigEnvTest, EveryStringValueIsExpanded) {
  const EnvLookup env = environment({{"BROKERS", "b1:9092,b2:9092"},
                                     {"TOPIC", "users"},
                                     {"POLICY", "compact"},
                                     {"LINGER", "20"},
                                     {"NAME", "log"}});
  const HostConfig config = parse(R"([kafka]
"bootstrap.servers" = "${env:BROKERS}"
[[source]]
name = "uuids"
plugin = "uuid_source"
topic = "${env:TOPIC}"
topic_creation = { partitions = 1, configs = { "cleanup.policy" = "${env:POLICY}" } }
kafka = { "linger.ms" = "${env:LINGER}" }
[[sink]]
name = "${env:NAME}"
plugin = "log_sink"
topics = ["${env:TOPIC}", "${env:OTHER:-orders}"]
group_id = "${env:GROUP:-}grp"
)",
                                  env);
  EXPECT_EQ(config.kafka.at("bootstrap.servers"), "b1:9092,b2:9092");
  ASSERT_EQ(config.sources.size(), 1u);
  EXPECT_EQ(config.sources[0].topic, "users");
  EXPECT_EQ(config.sources[0].topic_creation->configs.at("cleanup.policy"),
            "compact");
  EXPECT_EQ(config.sources[0].kafka.at("linger.ms"), "20");
  ASSERT_EQ(config.sinks.size(), 1u);
  EXPECT_EQ(config.sinks[0].name, "log");
  EXPECT_EQ(config.sinks[0].topics,
            (std::vector<std::string>{"users", "orders"}));
  EXPECT_EQ(config.sinks[0].group_id, "grp");
}

TEST(HostConfigEnvTest, StringsInPluginConfigAreExpandedInPlace) {
  const EnvLookup env = environment({{"DIR", "/data"}, {"MODE", "fast"}});
  const HostConfig config = parse(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
[source.config]
path = "${env:DIR}/out"
count = 3
nested = { mode = "${env:MODE}", deeper = { list = ["${env:DIR}", "$${x}", 1] } }
)",
                                  env);
  ASSERT_EQ(config.sources.size(), 1u);
  const toml::table& table = config.sources[0].settings.table;
  EXPECT_EQ(table["path"].value<std::string>(), "/data/out");
  EXPECT_EQ(table["count"].value<int64_t>(), 3);
  EXPECT_EQ(table["nested"]["mode"].value<std::string>(), "fast");
  EXPECT_EQ(table["nested"]["deeper"]["list"][0].value<std::string>(), "/data");
  EXPECT_EQ(table["nested"]["deeper"]["list"][1].value<std::string>(), "${x}");
  EXPECT_EQ(table["nested"]["deeper"]["list"][2].value<int64_t>(), 1);
  EXPECT_EQ(table["path"].node()->source().begin.line, 6u);
}

TEST(HostConfigEnvTest, ExpansionErrorsNameTheKeyAndPosition) {
  EXPECT_EQ(
      problems_of(R"([kafka]
"sasl.password" = "${env:KAFKA_PASSWORD}"
[[source]]
name = "s"
plugin = "p"
topic = "${topic}"
[source.config]
nested = { list = ["ok", "${env:MISSING}"] }
)"),
      (Problems{
          "test.toml:2:19: kafka.\"sasl.password\": environment variable "
          "KAFKA_PASSWORD is not set; set it or write "
          "${env:KAFKA_PASSWORD:-default}",
          "test.toml:6:9: source \"s\".topic: unknown reference at character "
          "1; only ${env:NAME}, ${env:NAME:-default} and ${file:PATH} are "
          "supported (write $${ for a literal ${)",
          "test.toml:8:26: source \"s\".config.nested.list[1]: environment "
          "variable MISSING is not set; set it or write "
          "${env:MISSING:-default}"}));
}

TEST(HostConfigEnvTest, PolicyStringsAreExpandedBeforeTheyAreChecked) {
  const EnvLookup env = environment({{"TOLERANCE", "all"}, {"TOPIC", "users"}});
  const HostConfig config = parse(R"([[sink]]
name = "k"
plugin = "q"
topics = ["${env:TOPIC}"]
errors = { tolerance = "${env:TOLERANCE}", dlq_topic = "${env:TOPIC}.dlq" }
)",
                                  env);
  ASSERT_EQ(config.sinks.size(), 1u);
  EXPECT_EQ(config.sinks[0].errors.tolerance, ErrorTolerance::all);
  EXPECT_EQ(config.sinks[0].errors.dlq_topic, "users.dlq");

  EXPECT_EQ(problems_of(R"([[sink]]
name = "k"
plugin = "q"
topics = ["${env:TOPIC}"]
errors = { tolerance = "${env:TOLERANCE}", dlq_topic = "users" }
)",
                        env),
            Problems{"test.toml:5:56: sink \"k\".errors.dlq_topic: \"users\" "
                     "is also one of this sink's topics, so its failed records "
                     "would be consumed and fail again (a loop); use a topic "
                     "of its own, such as \"users.dlq\""});
}

TEST(HostConfigEnvTest, ProcessEnvironmentIsTheDefaultLookup) {
  // PATH is set in every environment a test runs in; only read here.
  const std::optional<std::string> path = lookup_process_env("PATH");
  ASSERT_TRUE(path.has_value());
  const HostConfig config = parse_host_config(R"([kafka]
"client.id" = "${env:PATH}"
"client.rack" = "${env:RDCONNECT_CONFIG_TEST_UNSET_VARIABLE:-fallback}"
)" + std::string(kValidSink),
                                              kFile);
  EXPECT_EQ(config.kafka.at("client.id"), *path);
  EXPECT_EQ(config.kafka.at("client.rack"), "fallback");
}

}  // namespace
}  // namespace rdconnect::config
