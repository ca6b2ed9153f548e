// The host's logging: spdlog to stderr, as text or JSON lines. Plugins log
// through the host.
#pragma once

#include <memory>
#include <string>

#include <spdlog/formatter.h>

namespace rdconnect {

/// Configure the default logger: stderr, one line per message. `level` is
/// one of trace, debug, info, warn, error; `format` is "text" ("time level
/// message", local time) or "json" (JsonLogFormatter). Throws
/// std::invalid_argument for anything else.
void setup_logging(const std::string& level, const std::string& format);

/// One JSON object per line, for log collectors:
///   {"time":"2026-12-04T20:51:02.123Z","level":"info","message":"...",
///    "connector":"orders","task":"orders#0"}
/// The time is UTC. "connector" and "task" are there when the LogContext of
/// the logging thread knows them, which holds as the host's loggers are
/// synchronous: a line is formatted on the thread that logs it. Every byte
/// of the message is escaped as JSON needs, and invalid UTF-8 becomes
/// U+FFFD, so that every line parses whatever a plugin logged.
class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message,
              spdlog::memory_buf_t& out) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

}  // namespace rdconnect
