// `rdconnect validate --connect`'s report: a plugin's connection check
// (fixture_c_sink's) beside the broker probe, its secrets masked, and each
// connector that cannot reach its brokers or its target counted once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/connection_check.hpp"
#include "plugin/loaded_plugin.hpp"

namespace rdconnect::cli {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kToken = "t0ken-9d41";

runtime::PreparedSink fixture_sink(const std::string& name,
                                   const std::string& path) {
  runtime::PreparedSink sink;
  sink.config.name = name;
  sink.plugin = plugin::load_plugin(
      std::filesystem::path(RDCONNECT_FIXTURE_DIR) / "fixture_c_sink.so");
  sink.plugin_config.add({"path", path, false});
  sink.plugin_config.add({"token", kToken, true});
  return sink;
}

TEST(ConnectionCheckTest, APluginsCheckIsReportedWithItsSecretsMasked) {
  runtime::ConnectorPlan plan;
  // Nothing listens on port 1: the brokers fail for both, quickly.
  plan.config.kafka = {{"bootstrap.servers", "127.0.0.1:1"}};
  plan.sinks.push_back(fixture_sink("near", "/tmp/near"));
  plan.sinks.push_back(fixture_sink("far", "unreachable"));
  std::ostringstream out;
  EXPECT_EQ(check_connections(plan, out, 500ms), 2);
  const std::string report = out.str();
  EXPECT_THAT(report, HasSubstr("sink 'near':\n    brokers: FAILED: "));
  EXPECT_THAT(report, HasSubstr("\n    target: OK (reached /tmp/near)\n"));
  EXPECT_THAT(report, HasSubstr("sink 'far':\n    brokers: FAILED: "));
  EXPECT_THAT(report,
              HasSubstr("\n    target: FAILED: cannot reach unreachable "
                        "with token ******** within 500 ms\n"));
  EXPECT_THAT(report, Not(HasSubstr(kToken)));
}

// A check that writes past message_size fails, and none of what it wrote
// past the end (or before it) is printed.
TEST(ConnectionCheckTest, ACheckWritingPastItsMessageFails) {
  runtime::ConnectorPlan plan;
  plan.config.kafka = {{"bootstrap.servers", "127.0.0.1:1"}};
  plan.sinks.push_back(fixture_sink("broken", "overrun"));
  std::ostringstream out;
  EXPECT_EQ(check_connections(plan, out, 500ms), 1);
  EXPECT_THAT(out.str(),
              HasSubstr("\n    target: FAILED: the plugin broke the contract: "
                        "it wrote past the 1024 bytes of message it was given "
                        "(message_size); fix the plugin\n"));
  EXPECT_THAT(out.str(), Not(HasSubstr("xxxx")));
}

}  // namespace
}  // namespace rdconnect::cli
