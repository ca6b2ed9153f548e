// The partitions the harness assigns a sink, and the offsets it gives their
// records: where the sink said to resume (as the host seeks there), else
// where the last record left off.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <rdconnect/plugin.h>

#include "plugin_test/test_records.hpp"

namespace rdconnect::plugin_test {

using PartitionKey = std::pair<std::string, int32_t>;

/// "harness[0]".
std::string partition_name(const PartitionKey& partition);

/// The distinct partitions of `records`, in the order they first appear.
std::vector<PartitionKey> partitions_of(const std::vector<TestRecord>& records);

/// rdc_topic_partition entries for open() and close(), each with offset
/// RDC_OFFSET_COMMITTED. They point into `partitions`, which must outlive
/// them.
std::vector<rdc_topic_partition> to_c(
    const std::vector<PartitionKey>& partitions);

/// Whether open() answered a stored offset (>= 0) for any of `partitions`:
/// then the sink keeps its own offsets.
bool any_stored_offset(const std::vector<rdc_topic_partition>& partitions);

class OffsetAssigner {
 public:
  /// What open() answered for `partitions`: an offset >= 0 is where the
  /// next record of that partition goes.
  void resume(const std::vector<rdc_topic_partition>& partitions);

  /// Sets `record`'s offset: the one it has if it is not below the
  /// partition's next, else the next.
  void assign(TestRecord& record);

  /// The offset of the partition's next record.
  int64_t next(const PartitionKey& partition) const;

  /// Whether any resume() was given a stored offset.
  bool saw_stored_offset() const { return saw_stored_offset_; }

 private:
  std::map<PartitionKey, int64_t> next_;
  bool saw_stored_offset_ = false;
};

}  // namespace rdconnect::plugin_test
