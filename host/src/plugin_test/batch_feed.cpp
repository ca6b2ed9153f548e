#include "plugin_test/batch_feed.hpp"

#include <algorithm>

namespace rdconnect::plugin_test {

bool put_in_batches(SinkInstance& sink, std::vector<TestRecord> records,
                    OffsetAssigner& offsets, std::deque<RecordBatch>& kept) {
  for (size_t start = 0; start < records.size(); start += kBatchSize) {
    const size_t end = std::min(records.size(), start + kBatchSize);
    std::vector<TestRecord> batch(
        std::make_move_iterator(records.begin() + start),
        std::make_move_iterator(records.begin() + end));
    for (TestRecord& record : batch) offsets.assign(record);
    if (!sink.put(kept.emplace_back(std::move(batch)))) return false;
  }
  return true;
}

std::vector<TestRecord> readdressed(const std::vector<TestRecord>& templates,
                                    const std::vector<PartitionKey>& targets,
                                    size_t count) {
  std::vector<TestRecord> records;
  for (size_t i = 0; i < count; ++i) {
    TestRecord record = templates[i % templates.size()];
    record.topic = targets[i % targets.size()].first;
    record.partition = targets[i % targets.size()].second;
    record.offset.reset();
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace rdconnect::plugin_test
