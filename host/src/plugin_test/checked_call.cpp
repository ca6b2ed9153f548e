#include "plugin_test/checked_call.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <exception>
#include <optional>
#include <thread>
#include <typeinfo>

#include <fmt/format.h>
#include <boost/core/demangle.hpp>

#include "runtime/plugin_call.hpp"

namespace rdconnect::plugin_test {
namespace {

using Clock = std::chrono::steady_clock;

// What errstr holds before the call: not NUL, so that a message written
// without its terminator shows, and not what the guard bytes hold.
constexpr char kUnwritten = '\x01';

constexpr const char* kMessageFix =
    "on RDC_RETRY and RDC_FATAL, write a human-readable reason into errstr, "
    "NUL-terminated, at most errstr_size bytes in all (e.g. "
    "snprintf(errstr, errstr_size, ...))";

std::string status_name(int status) {
  switch (status) {
    case RDC_OK:
      return "OK";
    case RDC_RETRY:
      return "RETRY";
    case RDC_FATAL:
      return "FATAL";
  }
  return fmt::format("INVALID({})", status);
}

bool is_known(int status) {
  return status == RDC_OK || status == RDC_RETRY || status == RDC_FATAL;
}

// What the plugin wrote into errstr, judged before anything is read of it.
struct Message {
  bool written = false;
  bool terminated = false;
  std::string text;
};

Message read_message(runtime::GuardedErrorBuffer& errstr) {
  const char* data = errstr.data();
  const size_t size = runtime::GuardedErrorBuffer::size();
  Message message;
  message.written = std::any_of(data, data + size,
                                [](char byte) { return byte != kUnwritten; });
  message.terminated = std::memchr(data, '\0', size) != nullptr;
  if (message.written) message.text = errstr.message();
  return message;
}

double milliseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

void report_exception(Report& report, const std::string& call,
                      const std::string& what) {
  report.breach(call,
                "an exception crossed the ABI boundary (" + what +
                    "); in the host it would terminate the process",
                "catch every exception inside each exported function and "
                "return RDC_FATAL with its message (the C++ SDK's "
                "RDCONNECT_SINK_PLUGIN / RDCONNECT_SOURCE_PLUGIN do)");
}

// Runs `function`; what escaped it, when something did.
template <typename Function>
std::optional<std::string> escaped_exception(Function&& function) {
  try {
    function();
    return std::nullopt;
  } catch (const std::exception& error) {
    return fmt::format("{}: {}", boost::core::demangle(typeid(error).name()),
                       error.what());
  } catch (...) {
    return "of a type not derived from std::exception";
  }
}

}  // namespace

std::string call_name(const char* call) { return std::string(call) + "()"; }

std::optional<std::string> running_call(const runtime::CallWatch& watch) {
  // Any call running at all has run longer than -1 ms.
  return watch.running_longer_than(std::chrono::milliseconds(-1));
}

CallChecker::Attempt CallChecker::attempt(const char* call,
                                          const StatusCall& function,
                                          const Detail& detail, bool quiet) {
  const std::string name = call_name(call);
  runtime::GuardedErrorBuffer errstr;
  std::memset(errstr.data(), kUnwritten, errstr.size());
  int status = RDC_OK;
  const Clock::time_point start = Clock::now();
  const std::optional<std::string> escaped = escaped_exception([&] {
    runtime::CallWatch::Scope scope(watch_, call);
    status = function(errstr.data(), errstr.size());
  });
  const double ms = milliseconds_since(start);
  if (escaped) {
    report_.call(call, "EXCEPTION", ms, "");
    report_exception(report_, name, *escaped);
    return Attempt::failed;
  }
  const Message message = read_message(errstr);
  if (!quiet || status != RDC_OK) {
    std::string shown = detail ? detail() : std::string();
    if (status != RDC_OK) shown += " errstr: \"" + message.text + "\"";
    report_.call(call, status_name(status), ms, shown);
  }
  bool broken = false;
  if (errstr.overrun()) {
    broken = true;
    report_.breach(name,
                   fmt::format("wrote past errstr_size: the guard bytes after "
                               "the {} bytes of errstr it was given changed "
                               "(in the host that is memory of someone else)",
                               errstr.size()),
                   kMessageFix);
  }
  if (!is_known(status)) {
    report_.breach(
        name, fmt::format("returned {}, which is not an rdc_status", status),
        "return RDC_OK (0), RDC_RETRY (1) or RDC_FATAL (2) only; "
        "check for a path that returns an uninitialised value");
    return Attempt::failed;
  }
  if (status != RDC_OK) {
    if (!message.written) {
      report_.breach(name,
                     "returned " + status_name(status) +
                         " without writing a reason into errstr",
                     kMessageFix);
    } else if (!message.terminated) {
      report_.breach(name,
                     fmt::format("errstr is not NUL-terminated within its {} "
                                 "bytes (errstr_size)",
                                 errstr.size()),
                     kMessageFix);
    } else if (message.text.empty()) {
      report_.breach(
          name, "returned " + status_name(status) + " with an empty errstr",
          kMessageFix);
    }
  }
  if (status == RDC_RETRY && !broken) return Attempt::retry;
  if (status == RDC_FATAL) {
    report_.breach(name,
                   "failed with RDC_FATAL: \"" + message.text +
                       "\"; the host would stop the connector",
                   "a working plugin fails no call of this drive: fix what "
                   "the message says (or the config given with --config)");
  }
  return status == RDC_OK && !broken ? Attempt::ok : Attempt::failed;
}

bool CallChecker::call(const char* call, const StatusCall& function,
                       const Detail& detail, bool quiet) {
  std::chrono::milliseconds backoff(50);
  for (int attempts = 0; attempts <= kRetries; ++attempts) {
    switch (attempt(call, function, detail, quiet)) {
      case Attempt::ok:
        return true;
      case Attempt::failed:
        return false;
      case Attempt::retry:
        break;
    }
    if (attempts < kRetries) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
  }
  report_.breach(call_name(call),
                 fmt::format("answered RDC_RETRY {} times in a row to the "
                             "same input; the host would keep repeating it",
                             kRetries + 1),
                 "RDC_RETRY is for a transient failure: the same call must "
                 "succeed once the cause is gone (return RDC_FATAL for a "
                 "permanent one)");
  return false;
}

bool CallChecker::call_void(const char* call,
                            const std::function<void()>& function) {
  const Clock::time_point start = Clock::now();
  const std::optional<std::string> escaped = escaped_exception([&] {
    runtime::CallWatch::Scope scope(watch_, call);
    function();
  });
  report_.call(call, escaped ? "EXCEPTION" : "done", milliseconds_since(start),
               "");
  if (escaped) report_exception(report_, call_name(call), *escaped);
  return !escaped;
}

}  // namespace rdconnect::plugin_test
