// One plugin call made the way the contract in plugin.h says it may be
// made, and checked against it: the status, the errstr buffer (guard bytes
// past errstr_size), exceptions, and repeating an RDC_RETRY.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <rdconnect/plugin.h>

#include "plugin_test/report.hpp"
#include "runtime/call_watch.hpp"

namespace rdconnect::plugin_test {

class CallChecker {
 public:
  /// `watch` tells the harness's parent process (and the host callbacks)
  /// which call is running.
  CallChecker(Report& report, runtime::CallWatch& watch)
      : report_(report), watch_(watch) {}

  /// The call, given the errstr buffer and its size. It answers an int: a
  /// plugin may return a value outside rdc_status, which C++ must not hold
  /// in the enum (UBSan stops a load of one).
  using StatusCall = std::function<int(char* errstr, size_t size)>;
  /// What to print after the status (evaluated after the call).
  using Detail = std::function<std::string()>;

  /// Runs `function` as `call` ("put"), prints one line per attempt and
  /// repeats it on RDC_RETRY (at most kRetries times, backing off), as the
  /// host does. True when it ended with RDC_OK and no breach that stops the
  /// drive; a failed call is reported as a breach. `quiet`: print no line
  /// for an OK call.
  bool call(const char* call, const StatusCall& function,
            const Detail& detail = {}, bool quiet = false);

  /// A call without a status (destroy()): only exceptions are checked.
  bool call_void(const char* call, const std::function<void()>& function);

  static constexpr int kRetries = 5;

 private:
  enum class Attempt { ok, retry, failed };
  Attempt attempt(const char* call, const StatusCall& function,
                  const Detail& detail, bool quiet);

  Report& report_;
  runtime::CallWatch& watch_;
};

/// "put()".
std::string call_name(const char* call);

/// The call `watch` sees running ("put()"), or nullopt between calls.
std::optional<std::string> running_call(const runtime::CallWatch& watch);

}  // namespace rdconnect::plugin_test
