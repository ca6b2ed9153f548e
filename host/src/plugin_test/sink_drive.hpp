// A sink's whole lifecycle as the host drives it, through a rebalance:
//   create → open({t:0,t:1}) → put batches → flush → close({t:1})
//   → open({t:2}) → put (t:0 and t:2 records) → flush → close(all)
//   → destroy
// then, for a sink that stores its offsets, the durability check.
#pragma once

#include <vector>

#include "plugin_test/sink_context.hpp"
#include "plugin_test/test_records.hpp"

namespace rdconnect::plugin_test {

/// Breaches go to the report; returns once the drive ends (early when a
/// call failed).
void drive_sink(const SinkContext& sink,
                const std::vector<TestRecord>& records);

}  // namespace rdconnect::plugin_test
