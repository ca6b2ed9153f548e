// Calling into a plugin: one place that watches the call's duration and
// turns a status into an Error that names the plugin and the call.
#pragma once

#include <algorithm>
#include <array>
#include <string>

#include <rdconnect/plugin.h>

#include "common/error.hpp"
#include "plugin/loaded_plugin.hpp"
#include "runtime/call_watch.hpp"

namespace rdconnect::runtime {

/// The errstr a plugin call writes into: the RDC_ERRSTR_SIZE bytes the
/// header promises, followed by as many canary bytes. A plugin that writes
/// past errstr_size lands in the canary, inside this object, instead of in
/// the host's stack; after the call the host sees the damage and reports it.
class GuardedErrorBuffer {
 public:
  GuardedErrorBuffer() { std::fill(canary_begin(), bytes_.end(), kCanary); }

  char* data() { return bytes_.data(); }
  static constexpr size_t size() { return RDC_ERRSTR_SIZE; }

  bool overrun() const {
    return std::any_of(canary_begin(), bytes_.end(),
                       [](char byte) { return byte != kCanary; });
  }

  /// The NUL-terminated message, terminated by force if the plugin forgot.
  std::string message() {
    bytes_[size() - 1] = '\0';
    return bytes_.data();
  }

 private:
  // Not NUL, so that an overrun by a string's terminator alone shows too.
  static constexpr char kCanary = '\x5a';

  char* canary_begin() { return bytes_.data() + size(); }
  const char* canary_begin() const { return bytes_.data() + size(); }

  std::array<char, 2 * RDC_ERRSTR_SIZE> bytes_{};
};

/// The plugin of one thread's instance and the watch on that thread.
struct PluginCaller {
  const plugin::LoadedPlugin& plugin;
  CallWatch& watch;

  /// Call `function(args..., errstr, errstr_size)`; throw Error (retriable
  /// for RDC_RETRY, fatal otherwise) as "plugin 'NAME' CALL(): MESSAGE". A
  /// status outside the enum, or writing past errstr_size, is a plugin bug
  /// and fatal whatever the status.
  template <typename Function, typename... Args>
  void operator()(const char* call, Function function, Args... args) const {
    GuardedErrorBuffer errstr;
    // An int: a buggy plugin may return a value outside rdc_status, which
    // C++ must not hold in the enum.
    int status;
    {
      CallWatch::Scope scope(watch, call);
      status = function(args..., errstr.data(), errstr.size());
    }
    if (errstr.overrun()) {
      throw Error::fatal(about(call) +
                         "broke the plugin contract: wrote past the " +
                         std::to_string(errstr.size()) +
                         " bytes of errstr it was given (errstr_size); fix "
                         "the plugin to write at most errstr_size bytes");
    }
    if (status == RDC_OK) return;
    const std::string reason = errstr.message();
    std::string message =
        about(call) + (reason.empty() ? "no reason given" : reason);
    if (status == RDC_RETRY) throw Error::retriable(message);
    if (status != RDC_FATAL) {
      message += " (returned unknown status " + std::to_string(status) + ")";
    }
    throw Error::fatal(message);
  }

 private:
  std::string about(const char* call) const {
    return "plugin '" + std::string(plugin.name()) + "' " + call + "(): ";
  }
};

}  // namespace rdconnect::runtime
