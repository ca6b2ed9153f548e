#include "runtime/record_views.hpp"

#include <functional>

namespace rdconnect::runtime {

namespace {

rdc_bytes bytes_of(const std::string& text) {
  return {text.data(), text.size()};
}

}  // namespace

void RecordViews::fill(std::span<const kafka::Message> messages,
                       std::span<const ConvertedParts> converted) {
  records_.clear();
  headers_.clear();
  header_starts_.clear();
  for (const kafka::Message& message : messages) {
    rdc_record record{};
    record.topic = message.topic();
    record.partition = message.partition();
    record.offset = message.offset();
    record.timestamp_ms = message.timestamp_ms();
    record.key = {message.key(), message.key_size()};
    record.value = {message.value(), message.value_size()};
    header_starts_.push_back(headers_.size());
    message.for_each_header(
        [this](const char* name, const void* value, size_t size) {
          headers_.push_back({name, {value, size}});
        });
    record.header_count = headers_.size() - header_starts_.back();
    if (!converted.empty()) {
      const ConvertedParts& parts = converted[records_.size()];
      if (parts.key) record.key = bytes_of(*parts.key);
      if (parts.value) record.value = bytes_of(*parts.value);
    }
    records_.push_back(record);
  }
  for (size_t i = 0; i < records_.size(); ++i) {
    if (records_[i].header_count > 0) {
      records_[i].headers = headers_.data() + header_starts_[i];
    }
  }
}

std::optional<size_t> RecordViews::index_of(const rdc_record& record) const {
  // Compared as addresses, without arithmetic on a pointer from elsewhere.
  const std::less<const rdc_record*> before;
  if (records_.empty() || before(&record, records_.data()) ||
      !before(&record, records_.data() + records_.size())) {
    return std::nullopt;
  }
  return static_cast<size_t>(&record - records_.data());
}

}  // namespace rdconnect::runtime
