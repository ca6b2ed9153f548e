// The records one transaction writes, and the offsets it stores with them.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <vector>

#include "buffered_record.hpp"
#include "offset_store.hpp"

namespace rdconnect::postgres_sink {

struct RecordBatch {
  std::vector<BufferedRecord> records;
  /// Next offset per partition of everything put into the batch, rejected
  /// records included: they count as handled.
  std::map<PartitionKey, int64_t> next_offsets;
  /// When the first record was put into it.
  std::chrono::steady_clock::time_point started;

  bool empty() const { return records.empty() && next_offsets.empty(); }

  /// Forgets the records and offsets of `partition`.
  void drop(const PartitionKey& partition) {
    next_offsets.erase(partition);
    std::erase_if(records, [&](const BufferedRecord& record) {
      return record.topic == partition.first &&
             record.partition == partition.second;
    });
  }
};

}  // namespace rdconnect::postgres_sink
