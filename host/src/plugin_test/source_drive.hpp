// A source's lifecycle as the host drives it: create → poll (until enough
// records, finished, or a deadline) with every record acked as delivered
// → destroy.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include <rdconnect/plugin.h>

#include "plugin_test/checked_call.hpp"
#include "plugin_test/harness_host.hpp"
#include "plugin_test/report.hpp"

namespace rdconnect::plugin_test {

struct SourceContext {
  const rdc_source_api& api;
  const std::vector<rdc_config_value>& config;
  CallChecker& checker;
  HarnessHost& host;
  Report& report;
};

/// Polls until `count` records, the source finishes, or `deadline` passes
/// (a note, not a breach: a rate-limited source may be slow). Breaches go
/// to the report.
void drive_source(const SourceContext& source, size_t count,
                  std::chrono::milliseconds deadline);

}  // namespace rdconnect::plugin_test
