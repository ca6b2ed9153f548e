#include "plugin_test/sink_drive.hpp"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "plugin_test/batch_feed.hpp"
#include "plugin_test/durability_check.hpp"
#include "plugin_test/partition_offsets.hpp"

namespace rdconnect::plugin_test {
namespace {

// Records put after the rebalance, over the kept and the new partition.
constexpr size_t kRecordsAfterRebalance = 10;

// A partition of the first one's topic that no record of the file uses:
// the one the "rebalance" assigns.
PartitionKey new_partition(const std::vector<PartitionKey>& partitions) {
  const std::string& topic = partitions.front().first;
  int32_t highest = 0;
  for (const auto& [other_topic, partition] : partitions) {
    if (other_topic == topic) highest = std::max(highest, partition);
  }
  return {topic, highest + 1};
}

class SinkLifecycle {
 public:
  SinkLifecycle(const SinkContext& sink, const std::vector<TestRecord>& records)
      : sink_(sink), records_(records), first_(partitions_of(records)) {}

  /// False when a call failed.
  bool run() {
    SinkInstance instance = sink_.instance();
    if (!instance.create()) return false;
    std::vector<rdc_topic_partition> first = to_c(first_);
    if (!open(instance, first) || !put(instance, records_)) return false;
    std::vector<PartitionKey> owned = first_;
    if (first_.size() > 1) {
      // The last partition goes to another task, as in a rebalance.
      const std::vector<PartitionKey> moved{first_.back()};
      owned.pop_back();
      if (!instance.close(to_c(moved))) return false;
    }
    const std::vector<PartitionKey> added{new_partition(first_)};
    std::vector<rdc_topic_partition> second = to_c(added);
    if (!open(instance, second)) return false;
    owned.push_back(added.front());
    const std::vector<PartitionKey> targets{first_.front(), added.front()};
    if (!put(instance,
             readdressed(records_, targets, kRecordsAfterRebalance))) {
      return false;
    }
    if (!instance.close(to_c(owned))) return false;
    instance.destroy();
    return true;
  }

  const OffsetAssigner& offsets() const { return offsets_; }
  std::vector<PartitionKey> partitions() const {
    std::vector<PartitionKey> all = first_;
    all.push_back(new_partition(first_));
    return all;
  }

 private:
  bool open(SinkInstance& instance,
            std::vector<rdc_topic_partition>& partitions) {
    if (!instance.open(partitions)) return false;
    offsets_.resume(partitions);
    return true;
  }

  bool put(SinkInstance& instance, std::vector<TestRecord> records) {
    return put_in_batches(instance, std::move(records), offsets_, batches_) &&
           instance.flush();
  }

  const SinkContext& sink_;
  const std::vector<TestRecord>& records_;
  const std::vector<PartitionKey> first_;
  OffsetAssigner offsets_;
  // Alive to the end: record_failed may name a record until the flush.
  std::deque<RecordBatch> batches_;
};

}  // namespace

void drive_sink(const SinkContext& sink,
                const std::vector<TestRecord>& records) {
  sink.report.note(
      "-- sink lifecycle: create, open, put, flush, close, open (a "
      "rebalance), put, flush, close, destroy");
  SinkLifecycle lifecycle(sink, records);
  if (!lifecycle.run()) return;
  check_durability(sink, records, lifecycle.partitions(), lifecycle.offsets());
}

}  // namespace rdconnect::plugin_test
