// What every part of a sink's drive works with.
#pragma once

#include <vector>

#include <rdconnect/plugin.h>

#include "plugin_test/checked_call.hpp"
#include "plugin_test/harness_host.hpp"
#include "plugin_test/report.hpp"
#include "plugin_test/sink_instance.hpp"

namespace rdconnect::plugin_test {

struct SinkContext {
  const rdc_sink_api& api;
  const std::vector<rdc_config_value>& config;
  CallChecker& checker;
  HarnessHost& host;
  Report& report;

  SinkInstance instance() const {
    return SinkInstance(api, checker, host, report, config);
  }
};

}  // namespace rdconnect::plugin_test
