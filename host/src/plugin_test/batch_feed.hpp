// Giving records to a sink in put() batches, with the offsets the host
// would give them.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

#include "plugin_test/partition_offsets.hpp"
#include "plugin_test/record_batch.hpp"
#include "plugin_test/sink_instance.hpp"

namespace rdconnect::plugin_test {

/// Records per put(): several batches before each flush, as the host's
/// consumer gives them.
inline constexpr size_t kBatchSize = 25;

/// Puts `records` in batches of kBatchSize, each record's offset assigned
/// by `offsets`. The batches go into `kept`, which must outlive the
/// sink's use of them (record_failed may name a record until the next
/// flush). False when a put() failed.
bool put_in_batches(SinkInstance& sink, std::vector<TestRecord> records,
                    OffsetAssigner& offsets, std::deque<RecordBatch>& kept);

/// `count` copies of `templates` (cycling through them) sent to `targets`
/// in turn, without offsets: the same kind of keys and values as the file
/// or the generator gave, which is what the sink's config expects.
std::vector<TestRecord> readdressed(const std::vector<TestRecord>& templates,
                                    const std::vector<PartitionKey>& targets,
                                    size_t count);

}  // namespace rdconnect::plugin_test
