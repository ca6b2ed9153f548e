// Which connector (and task) the current thread works for, so that a log
// line can carry it in fields of its own (--log-format json).
#pragma once

#include <string>

namespace rdconnect {

/// An empty field is unknown: the thread works for no connector, or for a
/// connector without tasks (a source runs on one thread).
struct LogContext {
  std::string connector;
  /// The task as the host's messages name it: "<connector>#<index>". The
  /// initializer lets {.connector = name} leave it out without a warning.
  std::string task{};
};

/// The calling thread's context: empty unless a LogContextScope set it.
const LogContext& current_log_context();

/// Sets the calling thread's context for the scope's lifetime, then puts
/// back the one before. Set at the top of a connector's thread, it covers
/// everything logged there: the host's messages and the plugin's calls
/// (which run on that thread), but not threads a plugin starts itself.
class LogContextScope {
 public:
  explicit LogContextScope(LogContext context);
  ~LogContextScope();
  LogContextScope(const LogContextScope&) = delete;
  LogContextScope& operator=(const LogContextScope&) = delete;

 private:
  LogContext previous_;
};

}  // namespace rdconnect
