#include "plugin_test/record_batch.hpp"

namespace rdconnect::plugin_test {
namespace {

rdc_bytes view_of(const std::optional<std::string>& bytes) {
  if (!bytes) return {nullptr, 0};
  return {bytes->data(), bytes->size()};
}

}  // namespace

RecordBatch::RecordBatch(std::vector<TestRecord> records)
    : records_(std::move(records)) {
  headers_.reserve(records_.size());
  views_.reserve(records_.size());
  for (const TestRecord& record : records_) {
    std::vector<rdc_header>& headers = headers_.emplace_back();
    for (const auto& [name, value] : record.headers) {
      headers.push_back({name.c_str(), view_of(value)});
    }
    rdc_record view{};
    view.topic = record.topic.c_str();
    view.partition = record.partition;
    view.offset = record.offset.value_or(0);
    view.timestamp_ms = record.timestamp_ms;
    view.key = view_of(record.key);
    view.value = view_of(record.value);
    view.headers = headers.empty() ? nullptr : headers.data();
    view.header_count = headers.size();
    views_.push_back(view);
  }
}

}  // namespace rdconnect::plugin_test
