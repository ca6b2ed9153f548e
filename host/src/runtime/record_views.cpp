#include "runtime/record_views.hpp"

namespace rdconnect::runtime {

void RecordViews::fill(std::span<const kafka::Message> messages) {
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
    records_.push_back(record);
  }
  for (size_t i = 0; i < records_.size(); ++i) {
    if (records_[i].header_count > 0) {
      records_[i].headers = headers_.data() + header_starts_[i];
    }
  }
}

}  // namespace rdconnect::runtime
