// --log-format json: every message one JSON object on one line, whatever
// bytes it holds, with the connector and task of the thread that logged it.
#include <chrono>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/log_context.hpp"
#include "common/logging.hpp"

namespace rdconnect {
namespace {

using namespace std::chrono_literals;

// 2026-12-04T20:51:02.123Z
const spdlog::log_clock::time_point kTime =
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + 20h + 51min + 2s +
    123ms;

/// The line `message` becomes, newline included.
std::string json_line(std::string_view message,
                      spdlog::level::level_enum level = spdlog::level::info) {
  JsonLogFormatter formatter;
  spdlog::memory_buf_t out;
  formatter.format(
      spdlog::details::log_msg(kTime, spdlog::source_loc{}, "rdconnect", level,
                               {message.data(), message.size()}),
      out);
  return std::string(out.data(), out.size());
}

/// The object of a line, after checking that it is exactly one line.
nlohmann::json parsed(const std::string& line) {
  EXPECT_TRUE(line.ends_with('\n')) << line;
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  return nlohmann::json::parse(line);
}

TEST(JsonLogFormatterTest, LineHasTimeLevelAndMessageInThatOrder) {
  EXPECT_EQ(json_line("sink 'log' started"),
            "{\"time\":\"2026-12-04T20:51:02.123Z\",\"level\":\"info\","
            "\"message\":\"sink 'log' started\"}\n");
}

TEST(JsonLogFormatterTest, LevelsAreNamedAsInTextLines) {
  EXPECT_EQ(parsed(json_line("m", spdlog::level::debug))["level"], "debug");
  EXPECT_EQ(parsed(json_line("m", spdlog::level::warn))["level"], "warning");
  EXPECT_EQ(parsed(json_line("m", spdlog::level::err))["level"], "error");
}

TEST(JsonLogFormatterTest, AnyMessageParsesBackUnchanged) {
  for (const std::string& message :
       {std::string("he said \"stop\" \\ twice"), std::string("two\nlines\r\n"),
        std::string("tab\t bell\a escape\x1b del\x7f"),
        std::string("nul\0byte", 8), std::string("UTF-8: żółw ✓")}) {
    const nlohmann::json object = parsed(json_line(message));
    EXPECT_EQ(object["message"], message);
  }
}

TEST(JsonLogFormatterTest, InvalidUtf8BecomesReplacementCharacters) {
  const nlohmann::json object = parsed(json_line("bad \xff\xfe ok \xc3"));
  EXPECT_EQ(object["message"], "bad \uFFFD\uFFFD ok \uFFFD");
}

TEST(JsonLogFormatterTest, ThreadContextAddsConnectorAndTask) {
  EXPECT_FALSE(parsed(json_line("m")).contains("connector"));
  {
    const LogContextScope sink({.connector = "orders", .task = "orders#1"});
    const nlohmann::json object = parsed(json_line("assigned \"t\"[0]"));
    EXPECT_EQ(object["connector"], "orders");
    EXPECT_EQ(object["task"], "orders#1");
    EXPECT_EQ(object["message"], "assigned \"t\"[0]");
  }
  const nlohmann::json after = parsed(json_line("m"));
  EXPECT_FALSE(after.contains("connector"));
  EXPECT_FALSE(after.contains("task"));
}

TEST(JsonLogFormatterTest, SourceContextHasNoTask) {
  const LogContextScope source({.connector = "uuids"});
  const nlohmann::json object = parsed(json_line("source finished"));
  EXPECT_EQ(object["connector"], "uuids");
  EXPECT_FALSE(object.contains("task"));
}

TEST(LogContextTest, ScopesNestAndRestore) {
  const LogContextScope outer({.connector = "a", .task = "a#0"});
  {
    const LogContextScope inner({.connector = "b"});
    EXPECT_EQ(current_log_context().connector, "b");
    EXPECT_EQ(current_log_context().task, "");
  }
  EXPECT_EQ(current_log_context().connector, "a");
  EXPECT_EQ(current_log_context().task, "a#0");
}

TEST(SetupLoggingTest, UnknownFormatOrLevelIsRefusedWithTheChoices) {
  try {
    setup_logging("info", "yaml");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "unknown log format 'yaml'; use text or json");
  }
  try {
    setup_logging("loud", "json");
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "unknown log level 'loud'; use trace, debug, info, warn or "
                 "error");
  }
}

}  // namespace
}  // namespace rdconnect
