// The rdconnect command line as an operator uses it: exit codes, messages,
// the shipped configs, and secrets kept out of every output. No services.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "child_process.hpp"
#include "test_paths.hpp"

namespace rdconnect::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

const std::filesystem::path kConfigs =
    std::filesystem::path(RDCONNECT_SOURCE_DIR) / "configs";

// Whether process `pid` has SIGTERM blocked, read from /proc: then it is past
// main()'s block_signals(), and a SIGTERM can only end it through a watcher,
// not through the signal's default action.
bool blocks_sigterm(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (!line.starts_with("SigBlk:")) continue;
    const unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
    return (mask >> (SIGTERM - 1)) & 1;
  }
  return false;
}

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  Outcome rdconnect(std::vector<std::string> args,
                    std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), rdconnect_binary().string());
    env.emplace("RDCONNECT_PLUGIN_PATH", plugin_directory().string());
    ChildProcess process(std::move(args), std::move(env),
                         scratch_ / ("run-" + std::to_string(++runs_)));
    const std::optional<int> code = process.wait(30s);
    EXPECT_TRUE(code.has_value()) << "rdconnect did not exit";
    return {code.value_or(-1), process.stdout_text(), process.stderr_text()};
  }

  ScratchDirectory scratch_{"rdconnect-cli"};
  int runs_ = 0;
};

TEST_F(CliTest, EveryShippedConfigValidatesWithoutShowingTheDsnPassword) {
  const std::map<std::string, std::string> env = {
      {"PG_DSN", "postgresql://rdconnect:s3cret-pw@127.0.0.1:5432/rdconnect"}};
  int validated = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kConfigs)) {
    if (entry.path().extension() != ".toml") continue;
    const Outcome outcome = rdconnect({"validate", entry.path().string()}, env);
    EXPECT_EQ(outcome.code, 0) << entry.path() << "\n" << outcome.err;
    EXPECT_THAT(outcome.out, HasSubstr(": OK ("));
    EXPECT_THAT(outcome.out + outcome.err, Not(HasSubstr("s3cret-pw")));
    ++validated;
  }
  EXPECT_EQ(validated, 3);
}

TEST_F(CliTest, BadConfigExitsTwoWithFileLineAndColumn) {
  const auto config = scratch_ / "bad.toml";
  write_text(config,
             "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\n"
             "topics = [\"t\"]\ntasks = \"two\"\n");
  const Outcome outcome = rdconnect({"validate", config.string()});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, HasSubstr(config.string() + ":5:9:"));
  EXPECT_THAT(outcome.err, HasSubstr("tasks"));
}

// Values that used to pass validate and then fail the connector at run time:
// each is now a config error at its line and column, exit 2.
TEST_F(CliTest, ValidateRefusesValuesOutOfRangeAndUnknownKafkaProperties) {
  const std::string source =
      "[[source]]\nname = \"u\"\nplugin = \"uuid_source\"\n"
      "topic = \"t\"\n[source.config]\n";
  const std::string sink =
      "[[sink]]\nname = \"pg\"\nplugin = \"postgres_sink\"\n"
      "topics = [\"t\"]\n[sink.config]\ndsn = \"postgresql://h/db\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {sink + "table = \"\"\n", ":7:9: key 'table'"},
      {sink + "table = \"t\"\nbatch_max_records = 0\n",
       ":8:21: key 'batch_max_records'"},
      {source + "rate = -1\n", ":6:8: key 'rate'"},
      {source + "keys = -3\n", ":6:8: key 'keys'"},
      {source + "value_bytes = 999999999999\n", ":6:15: key 'value_bytes'"},
      {"[kafka]\n\"bootstrap.server\" = \"b:9092\"\n" + source,
       ":2:1: kafka.\"bootstrap.server\": librdkafka refuses it"},
  };
  for (const auto& [text, problem] : cases) {
    const auto config = scratch_ / ("range-" + std::to_string(runs_) + ".toml");
    write_text(config, text);
    const Outcome outcome = rdconnect({"validate", config.string()});
    EXPECT_EQ(outcome.code, 2) << text << outcome.err;
    EXPECT_THAT(outcome.err, HasSubstr(config.string() + problem)) << text;
  }
}

TEST_F(CliTest, UnknownPluginListsWhereItLookedAndWhatItFound) {
  const auto config = scratch_ / "unknown.toml";
  write_text(config,
             "[[sink]]\nname = \"x\"\nplugin = \"nope_sink\"\n"
             "topics = [\"t\"]\n");
  const Outcome outcome = rdconnect({"validate", config.string()});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err, HasSubstr("no plugin named 'nope_sink'"));
  EXPECT_THAT(outcome.err, HasSubstr(plugin_directory().string()));
  EXPECT_THAT(outcome.err, HasSubstr("log_sink"));
}

TEST_F(CliTest, MisspeltNamesGetTheNearestKnownOneSuggested) {
  const std::string sink = "[[sink]]\nname = \"x\"\ntopics = [\"t\"]\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {sink + "plugin = \"postgres_snk\"\n",
       "no plugin named 'postgres_snk' (did you mean 'postgres_sink'?)"},
      {sink + "plugin = \"log_sink\"\nflush_interval = 5\n",
       ":5:1: unknown key 'flush_interval' in sink \"x\" (did you mean "
       "'flush_interval_ms'?)"},
      {sink + "plugin = \"log_sink\"\n[sink.config]\npth = \"out.log\"\n",
       ":6:1: unknown key 'pth' for plugin 'log_sink' (did you mean "
       "'path'?)"},
  };
  for (const auto& [text, problem] : cases) {
    const auto config =
        scratch_ / ("misspelt-" + std::to_string(runs_) + ".toml");
    write_text(config, text);
    const Outcome outcome = rdconnect({"validate", config.string()});
    EXPECT_EQ(outcome.code, 2) << text << outcome.err;
    EXPECT_THAT(outcome.err, HasSubstr(problem)) << text;
  }
}

TEST_F(CliTest, PluginsListsEveryBuiltPlugin) {
  const Outcome outcome = rdconnect({"plugins"});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, HasSubstr("uuid_source"));
  EXPECT_THAT(outcome.out, HasSubstr("log_sink"));
  EXPECT_THAT(outcome.out, HasSubstr("postgres_sink"));
}

TEST_F(CliTest, DescribeShowsTheConfigMapAndMarksSecrets) {
  const Outcome outcome = rdconnect({"plugins", "--describe", "postgres_sink"});
  EXPECT_EQ(outcome.code, 0) << outcome.err;
  EXPECT_THAT(outcome.out, HasSubstr("dsn"));
  EXPECT_THAT(outcome.out, HasSubstr("secret"));
  EXPECT_THAT(outcome.out, HasSubstr("batch_max_records"));
  EXPECT_THAT(outcome.out, HasSubstr("RANGE"));
  EXPECT_THAT(outcome.out, HasSubstr("1 to 2147483647"));
  EXPECT_THAT(outcome.out, HasSubstr("non-empty"));
}

// A truncated copy of a real plugin, found first: refused with a reason,
// where dlopen() alone would have killed the host with SIGBUS.
TEST_F(CliTest, TruncatedPluginIsRefusedNotACrash) {
  const auto directory = scratch_ / "truncated";
  std::filesystem::create_directory(directory);
  const auto file = directory / "log_sink.so";
  std::filesystem::copy_file(plugin_directory() / "log_sink.so", file);
  std::filesystem::resize_file(file, std::filesystem::file_size(file) / 2);
  const std::string refusal = "cannot load plugin library '" + file.string() +
                              "': truncated or malformed ELF file: ";

  const Outcome list = rdconnect({"plugins", "--plugin-path", directory});
  EXPECT_EQ(list.code, 1) << list.err;
  EXPECT_THAT(list.err, HasSubstr("refused: " + refusal));
  EXPECT_THAT(list.out, HasSubstr("uuid_source"));

  const Outcome describe = rdconnect(
      {"plugins", "--describe", "log_sink", "--plugin-path", directory});
  EXPECT_EQ(describe.code, 2) << describe.err;
  EXPECT_THAT(describe.err, HasSubstr(refusal));
}

// A FIFO nobody writes blocks reading the config for good. SIGHUP is logged
// and ignored; SIGTERM ends validate at once, where it used to be blocked
// with no watcher so that only SIGKILL helped.
TEST_F(CliTest, SignalsReachValidateBlockedOnAFifo) {
  const auto fifo = scratch_ / "fifo.toml";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  ChildProcess process({rdconnect_binary().string(), "validate", fifo},
                       {{"RDCONNECT_PLUGIN_PATH", plugin_directory()}},
                       scratch_ / "fifo-run");
  ASSERT_TRUE(wait_for([&] { return blocks_sigterm(process.pid()); }, 10s));

  process.send_signal(SIGHUP);
  EXPECT_TRUE(wait_for(
      [&] {
        return process.stderr_text().find(
                   "SIGHUP received; nothing to reload here, "
                   "ignoring") != std::string::npos;
      },
      10s))
      << process.stderr_text();
  process.send_signal(SIGTERM);
  const std::optional<int> code = process.wait(10s);

  ASSERT_TRUE(code.has_value()) << "validate did not exit on SIGTERM";
  EXPECT_EQ(*code, 128 + SIGTERM);
  EXPECT_THAT(process.stderr_text(),
              HasSubstr("received: stopping at once (nothing to flush yet)"));
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(rdconnect({}).code, 2);
  EXPECT_EQ(rdconnect({"run"}).code, 2);
  EXPECT_EQ(rdconnect({"frobnicate"}).code, 2);
}

TEST_F(CliTest, UnknownLogFormatExitsTwo) {
  const Outcome outcome = rdconnect({"--log-format", "yaml", "plugins"});
  EXPECT_EQ(outcome.code, 2);
  EXPECT_THAT(outcome.err,
              HasSubstr("unknown log format 'yaml'; use text or json"));
}

// A value read from a file is a secret, whichever key it is given to.
TEST_F(CliTest, ValidateNeverShowsWhatAFileHolds) {
  write_text(scratch_ / "log-path", "/tmp/XYZZY-s3cret.jsonl\n");
  write_text(scratch_ / "log-format", "XYZZY-s3cret\n");
  const std::string sink =
      "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\n"
      "topics = [\"t\"]\n[sink.config]\npath = \"${file:log-path}\"\n";
  const auto good = scratch_ / "good.toml";
  write_text(good, sink);
  const Outcome shown = rdconnect({"validate", good.string()});
  EXPECT_EQ(shown.code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("path = ********"));
  EXPECT_THAT(shown.out + shown.err, Not(HasSubstr("XYZZY")));

  const auto bad = scratch_ / "bad.toml";
  write_text(bad, sink + "format = \"${file:log-format}\"\n");
  const Outcome refused = rdconnect({"validate", bad.string()});
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr(bad.string() + ":7:10: key 'format'"));
  EXPECT_THAT(refused.out + refused.err, Not(HasSubstr("XYZZY")));
}

TEST_F(CliTest, VersionAndHelpExitZero) {
  const Outcome version = rdconnect({"--version"});
  EXPECT_EQ(version.code, 0);
  // The librdkafka built by scripts/bootstrap.sh, not Debian 12's 2.0.2.
  EXPECT_THAT(version.out, HasSubstr("rdconnect 0.1.0 (librdkafka 2.8.0)"));
  const Outcome help = rdconnect({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
}

}  // namespace
}  // namespace rdconnect::testing
