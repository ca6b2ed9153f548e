// The drive runs in a forked child, so that a plugin that crashes, aborts
// (a Rust panic=abort) or blocks becomes a reported breach, not a dead or
// hung harness.
#pragma once

#include <chrono>
#include <functional>

#include "plugin_test/report.hpp"
#include "runtime/call_watch.hpp"

namespace rdconnect::plugin_test {

/// Runs `drive` in a child process and returns its exit code (0: all
/// checks passed, 1: a breach). `drive` gets a CallWatch this process
/// sees too: a call running longer than `call_timeout` gets the child
/// killed, and a death by signal is reported (to `report`) with the call
/// it happened in; both return 1.
int run_forked(const std::function<int(runtime::CallWatch&)>& drive,
               std::chrono::milliseconds call_timeout, Report& report);

}  // namespace rdconnect::plugin_test
