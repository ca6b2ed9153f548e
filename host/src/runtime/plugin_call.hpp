// Calling into a plugin: one place that watches the call's duration and
// turns a status into an Error that names the plugin and the call.
#pragma once

#include <array>
#include <string>

#include <rdconnect/plugin.h>

#include "common/error.hpp"
#include "plugin/loaded_plugin.hpp"
#include "runtime/call_watch.hpp"

namespace rdconnect::runtime {

/// The plugin of one thread's instance and the watch on that thread.
struct PluginCaller {
  const plugin::LoadedPlugin& plugin;
  CallWatch& watch;

  /// Call `function(args..., errstr, errstr_size)`; throw Error (retriable
  /// for RDC_RETRY, fatal otherwise) as "plugin 'NAME' CALL(): MESSAGE". A
  /// status outside the enum is a plugin bug and fatal.
  template <typename Function, typename... Args>
  void operator()(const char* call, Function function, Args... args) const {
    std::array<char, RDC_ERRSTR_SIZE> errstr{};
    rdc_status status;
    {
      CallWatch::Scope scope(watch, call);
      status = function(args..., errstr.data(), errstr.size());
    }
    if (status == RDC_OK) return;
    errstr.back() = '\0';  // a plugin may forget the terminator
    std::string message =
        "plugin '" + std::string(plugin.name()) + "' " + call +
        "(): " + (errstr[0] ? errstr.data() : "no reason given");
    if (status == RDC_RETRY) throw Error::retriable(message);
    if (status != RDC_FATAL) {
      message += " (returned unknown status " +
                 std::to_string(static_cast<int>(status)) + ")";
    }
    throw Error::fatal(message);
  }
};

}  // namespace rdconnect::runtime
