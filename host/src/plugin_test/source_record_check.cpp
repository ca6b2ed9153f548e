#include "plugin_test/source_record_check.hpp"

#include <cstring>
#include <optional>

#include <fmt/format.h>

namespace rdconnect::plugin_test {
namespace {

// Kafka's longest topic name.
constexpr size_t kMaxTopicLength = 249;

std::optional<std::string> bytes_problem(const char* what,
                                         const rdc_bytes& bytes) {
  if (bytes.data == nullptr && bytes.len != 0) {
    return fmt::format(
        "{} has data NULL (null) but len {}; a null {} has len 0", what,
        bytes.len, what);
  }
  return std::nullopt;
}

std::optional<std::string> topic_problem(const char* topic) {
  if (topic == nullptr) return std::nullopt;
  if (std::memchr(topic, '\0', kMaxTopicLength + 1) == nullptr) {
    return fmt::format(
        "topic is not a NUL-terminated name of at most {} "
        "characters",
        kMaxTopicLength);
  }
  if (topic[0] == '\0')
    return "topic is an empty string (NULL means the "
           "connector's topic)";
  return std::nullopt;
}

std::optional<std::string> header_problem(const rdc_source_record& record) {
  if (record.header_count > 0 && record.headers == nullptr) {
    return fmt::format("header_count is {} but headers is NULL",
                       record.header_count);
  }
  for (size_t i = 0; i < record.header_count; ++i) {
    const rdc_header& header = record.headers[i];
    if (header.name == nullptr) return fmt::format("header {} has no name", i);
    if (auto problem = bytes_problem("header value", header.value)) {
      return fmt::format("header '{}': {}", header.name, *problem);
    }
  }
  return std::nullopt;
}

std::optional<std::string> record_problem(const rdc_source_record& record) {
  if (auto problem = topic_problem(record.topic)) return problem;
  if (record.partition < RDC_PARTITION_ANY) {
    return fmt::format("partition {} (>= 0, or RDC_PARTITION_ANY = -1)",
                       record.partition);
  }
  if (record.timestamp_ms < 0) {
    return fmt::format(
        "timestamp_ms {} (milliseconds since the epoch, or 0 "
        "for now)",
        record.timestamp_ms);
  }
  if (auto problem = bytes_problem("key", record.key)) return problem;
  if (auto problem = bytes_problem("value", record.value)) return problem;
  return header_problem(record);
}

// FNV-1a, 64 bits.
class Hash {
 public:
  void add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
      value_ = (value_ ^ bytes[i]) * 1099511628211ULL;
    }
  }
  template <typename Value>
  void add_value(const Value& value) {
    add(&value, sizeof value);
  }
  void add_bytes(const rdc_bytes& bytes) {
    add_value(bytes.data != nullptr);
    add_value(bytes.len);
    if (bytes.data != nullptr) add(bytes.data, bytes.len);
  }
  void add_string(const char* text) {
    add_value(text != nullptr);
    if (text != nullptr) add(text, std::strlen(text));
  }
  uint64_t value() const { return value_; }

 private:
  uint64_t value_ = 14695981039346656037ULL;
};

}  // namespace

std::vector<std::string> poll_result_problems(const rdc_poll_result& result,
                                              size_t max_records) {
  std::vector<std::string> problems;
  if (result.record_count > 0 && result.records == nullptr) {
    problems.push_back(fmt::format("record_count is {} but records is NULL",
                                   result.record_count));
    return problems;
  }
  if (result.record_count > max_records) {
    problems.push_back(fmt::format("{} records, more than max_records ({})",
                                   result.record_count, max_records));
  }
  for (size_t i = 0; i < result.record_count; ++i) {
    if (auto problem = record_problem(result.records[i])) {
      problems.push_back(fmt::format("record {}: {}", i, *problem));
    }
  }
  // Reading the bytes is the check that they are there.
  if (problems.empty()) (void)fingerprint(result);
  return problems;
}

uint64_t fingerprint(const rdc_poll_result& result) {
  Hash hash;
  for (size_t i = 0; i < result.record_count; ++i) {
    const rdc_source_record& record = result.records[i];
    hash.add_string(record.topic);
    hash.add_value(record.partition);
    hash.add_value(record.timestamp_ms);
    hash.add_bytes(record.key);
    hash.add_bytes(record.value);
    hash.add_value(record.ack_id);
    hash.add_value(record.header_count);
    for (size_t h = 0; h < record.header_count; ++h) {
      hash.add_string(record.headers[h].name);
      hash.add_bytes(record.headers[h].value);
    }
  }
  return hash.value();
}

}  // namespace rdconnect::plugin_test
