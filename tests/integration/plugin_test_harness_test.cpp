// rdconnect-plugin-test run as a plugin author runs it: it must pass the
// plugins that keep the contract of plugin.h (exit 0) and name each breach
// of the fixtures that break it (exit 1), and refuse what the loader or the
// config check refuses (exit 2).
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "child_process.hpp"
#include "postgres_test_db.hpp"
#include "test_paths.hpp"

namespace rdconnect::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kPassed = 0;
constexpr int kBreach = 1;
constexpr int kRefused = 2;

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(RDCONNECT_FIXTURE_DIR) / (name + ".so");
}

std::filesystem::path plugin(const std::string& name) {
  return plugin_directory() / (name + ".so");
}

struct HarnessRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class PluginTestHarnessTest : public ::testing::Test {
 protected:
  /// rdconnect-plugin-test PLUGIN ARGS..., to completion.
  HarnessRun harness(const std::filesystem::path& plugin_file,
                     std::vector<std::string> args = {}) {
    args.insert(args.begin(),
                {RDCONNECT_PLUGIN_TEST_BINARY, plugin_file.string()});
    ChildProcess child(std::move(args), {},
                       scratch_ / ("run" + std::to_string(++runs_)));
    const std::optional<int> code = child.wait(std::chrono::seconds(120));
    EXPECT_TRUE(code.has_value()) << "the harness did not end";
    return {code.value_or(-1), child.stdout_text(), child.stderr_text()};
  }

  /// ["--config", FILE] for a TOML file holding `toml`.
  std::vector<std::string> config(const std::string& toml) {
    const std::filesystem::path path =
        scratch_ / ("config" + std::to_string(++configs_) + ".toml");
    write_text(path, toml);
    return {"--config", path.string()};
  }

  /// A config for fault_sink (or throwing_sink) with `extra` lines.
  std::vector<std::string> fault_config(const std::string& extra = "") {
    return config("out = \"" + (scratch_ / "flushed.txt").string() + "\"\n" +
                  extra);
  }

  ScratchDirectory scratch_{"rdconnect-harness"};
  int runs_ = 0;
  int configs_ = 0;
};

// What a failing run printed, for the assertion's message.
std::string output_of(const HarnessRun& run) {
  return "stdout:\n" + run.out + "\nstderr:\n" + run.err;
}

TEST_F(PluginTestHarnessTest, LogSinkPassesAndGetsEveryRecord) {
  const std::filesystem::path out = scratch_ / "records.jsonl";
  const HarnessRun run =
      harness(plugin("log_sink"), config("path = \"" + out.string() + "\"\n"));
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("result: PASS"));
  EXPECT_THAT(run.out, HasSubstr("open     OK"));
  EXPECT_THAT(run.out, HasSubstr("close    OK"));
  EXPECT_THAT(run.out, HasSubstr("durability check not applicable"));
  EXPECT_THAT(run.out, Not(HasSubstr("BREACH")));
  // 100 generated records, 10 after the rebalance, then 20 for each of the
  // 3 partitions before the simulated crash.
  EXPECT_EQ(read_lines(out).size(), 170u);
}

TEST_F(PluginTestHarnessTest, LogSinkTakesRecordsFromAJsonLinesFile) {
  const std::filesystem::path records = scratch_ / "in.jsonl";
  write_text(
      records,
      R"({"topic": "orders", "partition": 0, "offset": 7, "key": "a", "value": {"n": 1}, "headers": {"h": "v"}})"
      "\n\n"
      R"({"topic": "orders", "partition": 1, "key": null, "value": "text"})"
      "\n"
      R"({"topic": "orders", "partition": 0, "key": "a", "value": null})"
      "\n");
  const std::filesystem::path out = scratch_ / "records.jsonl";
  std::vector<std::string> args = config("path = \"" + out.string() + "\"\n");
  args.insert(args.end(), {"--records", records.string()});
  const HarnessRun run = harness(plugin("log_sink"), args);
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("records  3 from"));
  const std::vector<std::string> lines = read_lines(out);
  // The file's 3, 10 after the rebalance, 20 for each of the 3 partitions
  // before the simulated crash.
  ASSERT_EQ(lines.size(), 73u);
  EXPECT_THAT(lines[0], HasSubstr(R"("offset":7)"));
  EXPECT_THAT(lines[0], HasSubstr(R"({\"n\":1})"));
}

TEST_F(PluginTestHarnessTest, RefusesABadRecordsFileWithItsLine) {
  const std::filesystem::path records = scratch_ / "bad.jsonl";
  write_text(records,
             "{\"topic\": \"t\", \"partition\": 0, \"value\": 1}\n"
             "{\"topic\": \"t\", \"value\": 1}\n");
  const HarnessRun run =
      harness(plugin("log_sink"), {"--records", records.string()});
  EXPECT_EQ(run.exit_code, kRefused) << output_of(run);
  EXPECT_THAT(run.err, HasSubstr("bad.jsonl:2: \"partition\" is missing"));
}

TEST_F(PluginTestHarnessTest, UuidSourcePasses) {
  const HarnessRun run = harness(plugin("uuid_source"), {"--count", "50"});
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("poll     OK"));
  EXPECT_THAT(run.out, HasSubstr("ack      OK"));
  EXPECT_THAT(run.out, HasSubstr("result: PASS"));
}

TEST_F(PluginTestHarnessTest, ThrowingSinkFailsItsPut) {
  const HarnessRun run = harness(fixture("throwing_sink"), fault_config());
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): failed with RDC_FATAL: "
                                 "\"throwing_sink: thrown on purpose"));
  EXPECT_THAT(run.out, HasSubstr("destroy  done"));
  EXPECT_THAT(run.out, HasSubstr("result: FAIL"));
}

TEST_F(PluginTestHarnessTest, FaultSinkStatusOutsideTheEnum) {
  const HarnessRun run =
      harness(fixture("fault_sink"), fault_config("mode = \"garbage\"\n"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): returned 42, which is not "
                                 "an rdc_status"));
}

TEST_F(PluginTestHarnessTest, FaultSinkRetryThatSucceedsPasses) {
  const HarnessRun run = harness(
      fixture("fault_sink"), fault_config("mode = \"retry\"\nretries = 3\n"));
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("put      RETRY"));
  EXPECT_THAT(run.out, HasSubstr("result: PASS"));
}

TEST_F(PluginTestHarnessTest, FaultSinkRetryingForeverIsABreach) {
  const HarnessRun run = harness(
      fixture("fault_sink"), fault_config("mode = \"retry\"\nretries = 10\n"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): answered RDC_RETRY 6 "
                                 "times in a row"));
}

TEST_F(PluginTestHarnessTest, FaultSinkFatalPut) {
  const HarnessRun run =
      harness(fixture("fault_sink"), fault_config("mode = \"fatal\"\n"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): failed with RDC_FATAL: "
                                 "\"fault_sink: failing on purpose"));
}

TEST_F(PluginTestHarnessTest, FaultSinkFlushThatNeverReturns) {
  std::vector<std::string> args = fault_config("mode = \"block_flush\"\n");
  args.insert(args.end(), {"--call-timeout-ms", "1000"});
  const HarnessRun run = harness(fixture("fault_sink"), args);
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in flush(): did not return within "
                                 "1000 ms"));
}

TEST_F(PluginTestHarnessTest, ErrstrOverrun) {
  const HarnessRun run =
      harness(fixture("fixture_put_overrun"), config("token = \"t0k3n\"\n"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): wrote past errstr_size"));
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): errstr is not "
                                 "NUL-terminated within its 1024 bytes"));
}

TEST_F(PluginTestHarnessTest, ExceptionCrossingTheBoundary) {
  const HarnessRun run = harness(fixture("escaping_sink"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("open     (not set: default)"));
  EXPECT_THAT(run.out,
              HasSubstr("BREACH in put(): an exception crossed the ABI "
                        "boundary (std::runtime_error: escaping_sink: thrown"));
}

TEST_F(PluginTestHarnessTest, AbortIsReportedWithItsSignal) {
  const HarnessRun run = harness(fixture("aborting_sink"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in put(): the process died of "
                                 "signal 6 (Aborted) during put()"));
}

TEST_F(PluginTestHarnessTest, SinkStoringItsOffsetsPassesTheDurabilityCheck) {
  const std::vector<std::string> args =
      config("path = \"" + (scratch_ / "offsets").string() + "\"\n");
  const HarnessRun first = harness(fixture("offset_sink"), args);
  ASSERT_EQ(first.exit_code, kPassed) << output_of(first);
  EXPECT_THAT(first.out, HasSubstr("-- durability: the sink stores its "
                                   "offsets"));
  EXPECT_THAT(first.out, HasSubstr("harness[0]=75 harness[1]=70 "
                                   "harness[2]=25"));
  // Again, resuming from what the first run stored, as the host seeks.
  const HarnessRun second = harness(fixture("offset_sink"), args);
  ASSERT_EQ(second.exit_code, kPassed) << output_of(second);
  EXPECT_THAT(second.out, HasSubstr("harness[0]=75 harness[1]=70\n"));
}

TEST_F(PluginTestHarnessTest, RecordsReportedThroughRecordFailedAreCounted) {
  const HarnessRun run =
      harness(fixture("offset_sink"),
              config("path = \"" + (scratch_ / "offsets").string() +
                     "\"\nreject = '{\"id\":3,\"name\":\"record 3\"}'\n"));
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("record_failed(harness[1]@1): offset_sink: "
                                 "rejected on purpose"));
  // The generated record 3 once, and its copies after the rebalance and in
  // the durability check.
  EXPECT_THAT(run.out,
              HasSubstr("records reported by record_failed/record_error: 3"));
}

TEST_F(PluginTestHarnessTest, WrongDurabilityAnswerIsABreach) {
  const HarnessRun run =
      harness(fixture("offset_sink_off_by_one"),
              config("path = \"" + (scratch_ / "offsets").string() + "\"\n"));
  EXPECT_EQ(run.exit_code, kBreach) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("BREACH in open(): durability: "));
  EXPECT_THAT(run.out, HasSubstr("answered offset 73 for harness[0]; "
                                 "expected 74"));
}

TEST_F(PluginTestHarnessTest, LoaderRefusalIsTheLoadersMessage) {
  const HarnessRun run = harness(fixture("garbage"));
  EXPECT_EQ(run.exit_code, kRefused) << output_of(run);
  EXPECT_THAT(run.err, HasSubstr("cannot load plugin library"));
  EXPECT_THAT(run.err, HasSubstr("not an ELF file"));
}

TEST_F(PluginTestHarnessTest, ConfigProblemsHaveFileLineAndColumn) {
  const std::vector<std::string> args =
      config("out = \"x\"\nmode = \"bogus\"\nfail_at = \"one\"\n");
  const HarnessRun run = harness(fixture("fault_sink"), args);
  EXPECT_EQ(run.exit_code, kRefused) << output_of(run);
  EXPECT_THAT(run.err, HasSubstr(args[1] + ":2:8: key 'mode' for plugin "
                                           "'fault_sink': \"bogus\" is not "
                                           "allowed"));
  EXPECT_THAT(run.err, HasSubstr(args[1] + ":3:11: key 'fail_at'"));
}

TEST_F(PluginTestHarnessTest, MissingRequiredKeyWithoutAConfig) {
  const HarnessRun run = harness(fixture("fault_sink"));
  EXPECT_EQ(run.exit_code, kRefused) << output_of(run);
  EXPECT_THAT(run.err, HasSubstr("missing required key 'out'"));
}

// postgres_sink stores its offsets with the rows, so the durability check
// applies. PostgreSQL from scripts/services.sh (PG_DSN), as
// postgres_sink_test uses it.
TEST_F(PluginTestHarnessTest, PostgresSinkPassesTheDurabilityCheck) {
  const ScratchSchema schema("harness");
  const HarnessRun run = harness(
      plugin("postgres_sink"),
      config("dsn = \"${env:PG_DSN}\"\ntable = \"harness_rows\"\nschema = \"" +
             schema.name() + "\"\n"));
  ASSERT_EQ(run.exit_code, kPassed) << output_of(run);
  EXPECT_THAT(run.out, HasSubstr("-- durability: the sink stores its "
                                 "offsets"));
  EXPECT_THAT(run.out, HasSubstr("result: PASS"));
  // The DSN's password is a secret: never printed.
  EXPECT_THAT(run.out, HasSubstr("dsn = ********"));
}

}  // namespace
}  // namespace rdconnect::testing
