// A batch of TestRecords with the rdc_record views put() gets.
#pragma once

#include <span>
#include <vector>

#include <rdconnect/plugin.h>

#include "plugin_test/test_records.hpp"

namespace rdconnect::plugin_test {

/// Owns its records, so that the views stay valid (and at the same
/// address) for as long as the batch lives: a sink may report a record of
/// an earlier put() until the next flush.
class RecordBatch {
 public:
  /// Every record's offset must be set.
  explicit RecordBatch(std::vector<TestRecord> records);
  RecordBatch(const RecordBatch&) = delete;
  RecordBatch& operator=(const RecordBatch&) = delete;

  std::span<const rdc_record> views() const { return views_; }
  const std::vector<TestRecord>& records() const { return records_; }

 private:
  std::vector<TestRecord> records_;
  std::vector<std::vector<rdc_header>> headers_;
  std::vector<rdc_record> views_;
};

}  // namespace rdconnect::plugin_test
