#include "common/logging.hpp"

#include <chrono>
#include <stdexcept>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "common/log_context.hpp"

namespace rdconnect {
namespace {

constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ %v";

spdlog::level::level_enum level_named(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  // from_str answers "off" for anything it does not know.
  if (parsed == spdlog::level::off && level != "off") {
    throw std::invalid_argument("unknown log level '" + level +
                                "'; use trace, debug, info, warn or error");
  }
  return parsed;
}

std::unique_ptr<spdlog::formatter> formatter_named(const std::string& format) {
  if (format == "text") {
    return std::make_unique<spdlog::pattern_formatter>(kTextPattern);
  }
  if (format == "json") return std::make_unique<JsonLogFormatter>();
  throw std::invalid_argument("unknown log format '" + format +
                              "'; use text or json");
}

std::string to_std_string(spdlog::string_view_t text) {
  return std::string(text.data(), text.size());
}

/// "2026-12-04T20:51:02.123Z": UTC, as collectors compare times from many
/// machines.
std::string utc_timestamp(spdlog::log_clock::time_point time) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(
          time.time_since_epoch());
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z",
                     fmt::gmtime(spdlog::log_clock::to_time_t(time)),
                     since_epoch.count() % 1000);
}

}  // namespace

void setup_logging(const std::string& level, const std::string& format) {
  const spdlog::level::level_enum parsed_level = level_named(level);
  std::unique_ptr<spdlog::formatter> formatter = formatter_named(format);
  auto logger = spdlog::stderr_logger_mt("rdconnect");
  logger->set_formatter(std::move(formatter));
  logger->set_level(parsed_level);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void JsonLogFormatter::format(const spdlog::details::log_msg& message,
                              spdlog::memory_buf_t& out) {
  // Ordered, so that every line reads time, level, message, as text does.
  nlohmann::ordered_json line = {
      {"time", utc_timestamp(message.time)},
      {"level", to_std_string(spdlog::level::to_string_view(message.level))},
      {"message", to_std_string(message.payload)}};
  const LogContext& context = current_log_context();
  if (!context.connector.empty()) line["connector"] = context.connector;
  if (!context.task.empty()) line["task"] = context.task;
  const std::string text =
      line.dump(/*indent=*/-1, /*indent_char=*/' ', /*ensure_ascii=*/false,
                nlohmann::ordered_json::error_handler_t::replace);
  out.append(text.data(), text.data() + text.size());
  out.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

}  // namespace rdconnect
