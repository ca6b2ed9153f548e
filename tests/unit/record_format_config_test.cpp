// key_format, value_format and [sink.schema_registry] in the host config.
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/connector_changes.hpp"
#include "config/host_config.hpp"
#include "config_text.hpp"

namespace rdconnect::config {
namespace {

using Problems = std::vector<std::string>;

TEST(RecordFormatConfigTest, FormatsDefaultToBytesWithoutARegistry) {
  const HostConfig config = parse(R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
)");
  const SinkConfig& sink = config.sinks.at(0);
  EXPECT_EQ(sink.key_format, RecordFormat::bytes);
  EXPECT_EQ(sink.value_format, RecordFormat::bytes);
  EXPECT_FALSE(sink.schema_registry.has_value());
}

TEST(RecordFormatConfigTest, ReadsFormatsAndTheRegistry) {
  const HostConfig config = parse(
      R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
key_format = "string"
value_format = "avro"

[sink.schema_registry]
url = "http://127.0.0.1:8081/apis/ccompat/v7/"
username = "reader"
password = "${env:REGISTRY_PASSWORD}"
timeout_ms = 2500
cache_capacity = 16
)",
      environment({{"REGISTRY_PASSWORD", "hunter2"}}));
  const SinkConfig& sink = config.sinks.at(0);
  EXPECT_EQ(sink.key_format, RecordFormat::string);
  EXPECT_EQ(sink.value_format, RecordFormat::avro);
  ASSERT_TRUE(sink.schema_registry.has_value());
  // The trailing slash goes: request paths are appended to it.
  EXPECT_EQ(sink.schema_registry->url, "http://127.0.0.1:8081/apis/ccompat/v7");
  EXPECT_EQ(sink.schema_registry->username, "reader");
  EXPECT_EQ(sink.schema_registry->password, "hunter2");
  EXPECT_EQ(sink.schema_registry->timeout_ms, 2500);
  EXPECT_EQ(sink.schema_registry->cache_capacity, 16);
}

TEST(RecordFormatConfigTest, AnUnknownFormatListsTheKnownOnes) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
value_format = "avr"
)"),
            (Problems{"test.toml:5:16: sink \"s\".value_format: unknown format "
                      "\"avr\"; expected one of: bytes, string, json, avro, "
                      "json_schema"}));
}

TEST(RecordFormatConfigTest, ASchemaFormatNeedsARegistry) {
  EXPECT_EQ(problems_of(R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
key_format = "json_schema"
)"),
            (Problems{"test.toml:5:14: sink \"s\".key_format: \"json_schema\" "
                      "records carry a schema id, which needs a schema "
                      "registry; add [sink.schema_registry] with url = "
                      "\"http://...\""}));
}

TEST(RecordFormatConfigTest, RegistryMistakesAreReportedWithoutTheSecret) {
  const Problems problems = problems_of(R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
value_format = "avro"

[sink.schema_registry]
url = "http://admin:hunter2@127.0.0.1:8081"
password = "hunter2"
cache_capacity = 0
colour = "red"
)");
  // In the order of the file.
  ASSERT_EQ(problems.size(), 4u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0],
            "test.toml:7:1: sink \"s\".schema_registry: username and password "
            "go together; set both for basic authentication, or neither");
  EXPECT_EQ(problems[1],
            "test.toml:8:7: sink \"s\".schema_registry.url: expected an "
            "http:// or https:// URL without credentials in it (give those "
            "as username and password)");
  EXPECT_THAT(problems[2], ::testing::HasSubstr("cache_capacity: 0 is out"));
  EXPECT_THAT(problems[3], ::testing::HasSubstr("unknown key 'colour'"));
  for (const std::string& problem : problems) {
    EXPECT_THAT(problem, ::testing::Not(::testing::HasSubstr("hunter2")));
  }
}

TEST(RecordFormatConfigTest, AFormatChangeIsAChangedKey) {
  const std::string before = R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
)";
  const SinkConfig old_sink = parse(before).sinks.at(0);
  const SinkConfig new_sink =
      parse(before + "value_format = \"json\"\n").sinks.at(0);
  EXPECT_EQ(changed_keys(old_sink, new_sink),
            (std::vector<std::string>{"value_format"}));
}

TEST(RecordFormatConfigTest, ASourceReadsItsValueEncoding) {
  const HostConfig config = parse(R"([[source]]
name = "u"
plugin = "uuid_source"
topic = "t"
value_format = "avro"
value_schema = '{"type": "string"}'
[source.schema_registry]
url = "http://127.0.0.1:8081"
auto_register = false
)");
  const SourceConfig& source = config.sources.at(0);
  EXPECT_EQ(source.value_encoding.format, RecordFormat::avro);
  EXPECT_EQ(source.value_encoding.schema, R"({"type": "string"})");
  EXPECT_EQ(source.value_encoding.schema_id, -1);
  ASSERT_TRUE(source.schema_registry.has_value());
  EXPECT_FALSE(source.schema_registry->auto_register);
}

TEST(RecordFormatConfigTest, ASourceSchemaFormatNeedsOneSchemaAndARegistry) {
  EXPECT_EQ(problems_of(R"([[source]]
name = "u"
plugin = "uuid_source"
topic = "t"
value_format = "avro"
value_schema_id = 3
value_schema = '{"type": "string"}'
)"),
            (Problems{"test.toml:5:16: source \"u\".value_format: \"avro\" "
                      "values carry a schema id, which needs a schema "
                      "registry; add [source.schema_registry] with url = "
                      "\"http://...\"",
                      "test.toml:5:16: source \"u\".value_format: \"avro\" "
                      "needs exactly one of value_schema (the schema, "
                      "registered under \"<topic>-value\") and "
                      "value_schema_id (a schema the registry has)"}));
  // auto_register is a source's only.
  EXPECT_THAT(problems_of(R"([[sink]]
name = "s"
plugin = "log_sink"
topics = ["t"]
[sink.schema_registry]
url = "http://127.0.0.1:8081"
auto_register = true
)"),
              ::testing::ElementsAre(
                  ::testing::HasSubstr("unknown key 'auto_register'")));
}

}  // namespace
}  // namespace rdconnect::config
