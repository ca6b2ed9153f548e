// Flush durability across a simulated crash: create → open → put → flush →
// destroy (no close), then a new instance's open(). A sink that stores its
// offsets (any open() answered one) must answer, for each partition, the
// offset after the last record flushed; one that leaves every partition to
// Kafka (RDC_OFFSET_COMMITTED throughout) has nothing to prove here.
#pragma once

#include <vector>

#include "plugin_test/partition_offsets.hpp"
#include "plugin_test/sink_context.hpp"

namespace rdconnect::plugin_test {

/// `committed`: where the partitions stand after the lifecycle (what Kafka
/// would hold for a partition the sink leaves to it), which also knows
/// whether an open() of the lifecycle answered a stored offset (a sink may
/// leave partitions it has never seen to Kafka). Breaches go to the report;
/// false when a call failed.
bool check_durability(const SinkContext& sink,
                      const std::vector<TestRecord>& templates,
                      const std::vector<PartitionKey>& partitions,
                      OffsetAssigner committed);

}  // namespace rdconnect::plugin_test
