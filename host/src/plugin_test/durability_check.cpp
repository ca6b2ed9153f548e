#include "plugin_test/durability_check.hpp"

#include <deque>

#include <fmt/format.h>

#include "plugin_test/batch_feed.hpp"

namespace rdconnect::plugin_test {
namespace {

// Enough for a few batches, and for every partition to get records.
constexpr size_t kRecordsPerPartition = 20;

void compare(Report& report, const std::vector<rdc_topic_partition>& answered,
             const OffsetAssigner& flushed) {
  for (const rdc_topic_partition& entry : answered) {
    const PartitionKey partition{entry.topic, entry.partition};
    const int64_t expected = flushed.next(partition);
    if (entry.offset == expected) continue;
    const std::string answer = entry.offset == RDC_OFFSET_COMMITTED
                                   ? std::string("RDC_OFFSET_COMMITTED")
                                   : fmt::format("offset {}", entry.offset);
    const char* effect =
        entry.offset != RDC_OFFSET_COMMITTED && entry.offset > expected
            ? "records never written would be skipped"
            : "records already written would be written "
              "again";
    report.breach(
        "open()",
        fmt::format("durability: after flush() returned RDC_OK and the "
                    "instance was destroyed without close() (a crash), a new "
                    "instance's open() answered {} for {}; expected {}, the "
                    "offset after the last record flushed ({})",
                    answer, partition_name(partition), expected, effect),
        "in flush(), store each partition's next offset (last record + 1) "
        "durably, with the data, and answer it in open()");
  }
}

}  // namespace

bool check_durability(const SinkContext& sink,
                      const std::vector<TestRecord>& templates,
                      const std::vector<PartitionKey>& partitions,
                      OffsetAssigner committed) {
  sink.report.note(
      "-- durability: create, open, put, flush, destroy without close (a "
      "crash), then a new instance's open()");
  std::deque<RecordBatch> batches;
  {
    SinkInstance crashing = sink.instance();
    std::vector<rdc_topic_partition> assigned = to_c(partitions);
    if (!crashing.create() || !crashing.open(assigned)) return false;
    committed.resume(assigned);
    const std::vector<TestRecord> records = readdressed(
        templates, partitions, kRecordsPerPartition * partitions.size());
    if (!put_in_batches(crashing, records, committed, batches) ||
        !crashing.flush()) {
      return false;
    }
    crashing.destroy();
  }
  SinkInstance restarted = sink.instance();
  std::vector<rdc_topic_partition> assigned = to_c(partitions);
  if (!restarted.create() || !restarted.open(assigned)) return false;
  if (committed.saw_stored_offset() || any_stored_offset(assigned)) {
    sink.report.note(
        "-- durability: the sink stores its offsets; each open() answer must "
        "be the offset after the last record flushed");
    compare(sink.report, assigned, committed);
  } else {
    sink.report.note(
        "-- durability: offsets kept by Kafka (every open() left "
        "RDC_OFFSET_COMMITTED, after the crash too); durability check not "
        "applicable");
  }
  return restarted.close(assigned);
}

}  // namespace rdconnect::plugin_test
