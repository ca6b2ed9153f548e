// What a reload restarts a connector for: each changed key named once,
// nothing for a config that only moved (other lines, other comments), and
// never a value.
#include <gtest/gtest.h>

#include "config/connector_changes.hpp"

namespace rdconnect::config {
namespace {

using Keys = std::vector<std::string>;

HostConfig parse(const std::string& text) {
  return parse_host_config(text, "/tmp/changes.toml",
                           [](const std::string&) { return std::nullopt; });
}

const std::string kSink = R"(
[[sink]]
name = "pg"
topics = ["users"]
tasks = 1
plugin = "postgres_sink"
[sink.config]
dsn = "host=127.0.0.1 password=first"
table = "users"
)";

TEST(ConnectorChangesTest, AConfigThatOnlyMovedChangesNothing) {
  const HostConfig before = parse(kSink);
  const HostConfig after = parse("# moved down\n\n\n" + kSink + "\n# end\n");
  EXPECT_EQ(changed_keys(before.sinks[0], after.sinks[0]), Keys{});
  EXPECT_EQ(changed_keys(before.host, after.host), Keys{});
}

TEST(ConnectorChangesTest, EachChangedKeyIsNamedButNotItsValue) {
  std::string changed = kSink;
  changed.replace(changed.find("tasks = 1"), 9, "tasks = 2");
  changed.replace(changed.find("password=first"), 14, "password=second");
  changed += "batch_rows = 500\n";
  const HostConfig before = parse(kSink);
  const HostConfig after = parse(changed);
  const Keys keys = changed_keys(before.sinks[0], after.sinks[0]);
  EXPECT_EQ(keys, (Keys{"tasks", "config.batch_rows", "config.dsn"}));
  for (const std::string& key : keys) {
    EXPECT_EQ(key.find("second"), std::string::npos);
  }
}

TEST(ConnectorChangesTest, PluginPoliciesAndPropertiesAreNamedByPath) {
  const HostConfig before = parse(kSink);
  std::string changed = kSink;
  changed.replace(changed.find("plugin = \"postgres_sink\""), 24,
                  "plugin = \"log_sink\"");
  changed +=
      "[sink.errors]\ntolerance = \"all\"\n"
      "[sink.kafka]\n\"fetch.min.bytes\" = \"1\"\n";
  const HostConfig after = parse(changed);
  EXPECT_EQ(changed_keys(before.sinks[0], after.sinks[0]),
            (Keys{"errors.tolerance", "kafka.fetch.min.bytes", "plugin"}));
}

TEST(ConnectorChangesTest, SourcesAndHostSettingsToo) {
  const std::string source = R"(
[host]
status_interval_ms = 1000
[[source]]
name = "uuids"
topic = "users"
plugin = "uuid_source"
[source.config]
count = 10
)";
  std::string changed = source;
  changed.replace(changed.find("1000"), 4, "2000");
  changed.replace(changed.find("\"users\""), 7, "\"people\"");
  const HostConfig before = parse(source);
  const HostConfig after = parse(changed);
  EXPECT_EQ(changed_keys(before.sources[0], after.sources[0]), Keys{"topic"});
  EXPECT_EQ(changed_keys(before.host, after.host), Keys{"status_interval_ms"});
  EXPECT_EQ(
      changed_properties(
          {{"acks", "all"}, {"linger.ms", "5"}},
          {{"acks", "1"}, {"compression.type", "lz4"}, {"linger.ms", "5"}},
          "[kafka] "),
      (Keys{"[kafka] acks", "[kafka] compression.type"}));
}

}  // namespace
}  // namespace rdconnect::config
