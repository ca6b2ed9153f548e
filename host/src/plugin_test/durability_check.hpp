// Flush durability across a simulated crash, for sinks that store their
// offsets: create → open → put → flush → destroy (no close), then a new
// instance's open() must answer, for each partition, the offset after the
// last record flushed.
#pragma once

#include <vector>

#include "plugin_test/partition_offsets.hpp"
#include "plugin_test/sink_context.hpp"

namespace rdconnect::plugin_test {

/// `committed`: where the partitions stand after the lifecycle (what Kafka
/// would hold for a partition the sink leaves to it). Breaches go to the
/// report; false when a call failed.
bool check_durability(const SinkContext& sink,
                      const std::vector<TestRecord>& templates,
                      const std::vector<PartitionKey>& partitions,
                      OffsetAssigner committed);

}  // namespace rdconnect::plugin_test
