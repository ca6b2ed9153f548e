#include "plugin_test/test_records.hpp"

#include <fstream>
#include <limits>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace rdconnect::plugin_test {
namespace {

using nlohmann::json;

class LineReader {
 public:
  LineReader(const std::filesystem::path& path, size_t line)
      : where_(fmt::format("{}:{}", path.string(), line)) {}

  [[noreturn]] void fail(const std::string& why) const {
    throw RecordsFileError(where_ + ": " + why);
  }

  TestRecord record(const std::string& text) const {
    const json line = json::parse(text, nullptr, false);
    if (line.is_discarded() || !line.is_object()) {
      fail(
          "not a JSON object; each line is one record, e.g. "
          R"({"topic": "t", "partition": 0, "key": "k", "value": {"a": 1}})");
    }
    TestRecord record;
    const json& topic = required(line, "topic");
    if (!topic.is_string() || topic.get<std::string>().empty()) {
      fail("\"topic\" must be a non-empty string");
    }
    record.topic = topic.get<std::string>();
    record.partition =
        static_cast<int32_t>(integer(required(line, "partition"), "partition",
                                     0, std::numeric_limits<int32_t>::max()));
    if (line.contains("offset")) {
      record.offset = integer(line["offset"], "offset", 0,
                              std::numeric_limits<int64_t>::max());
    }
    if (line.contains("timestamp_ms")) {
      record.timestamp_ms = integer(line["timestamp_ms"], "timestamp_ms", 0,
                                    std::numeric_limits<int64_t>::max());
    }
    if (line.contains("key")) record.key = bytes(line["key"]);
    record.value = bytes(required(line, "value"));
    if (line.contains("headers")) record.headers = headers(line["headers"]);
    return record;
  }

 private:
  const json& required(const json& line, const char* field) const {
    if (!line.contains(field)) fail(fmt::format("\"{}\" is missing", field));
    return line[field];
  }

  int64_t integer(const json& value, const char* field, int64_t min,
                  int64_t max) const {
    if (!value.is_number_integer() || value.get<int64_t>() < min ||
        value.get<int64_t>() > max) {
      fail(fmt::format("\"{}\" must be an integer from {} to {}", field, min,
                       max));
    }
    return value.get<int64_t>();
  }

  static std::optional<std::string> bytes(const json& value) {
    if (value.is_null()) return std::nullopt;
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
  }

  std::vector<std::pair<std::string, std::optional<std::string>>> headers(
      const json& value) const {
    if (!value.is_object()) fail("\"headers\" must be an object");
    std::vector<std::pair<std::string, std::optional<std::string>>> result;
    for (const auto& [name, header] : value.items()) {
      result.emplace_back(name, bytes(header));
    }
    return result;
  }

  std::string where_;
};

// Offsets the file gives must grow within a partition, as Kafka's do.
void check_offset_order(const std::vector<TestRecord>& records,
                        const std::vector<size_t>& lines,
                        const std::filesystem::path& path) {
  std::map<std::pair<std::string, int32_t>, int64_t> last;
  for (size_t i = 0; i < records.size(); ++i) {
    if (!records[i].offset) continue;
    const auto key = std::make_pair(records[i].topic, records[i].partition);
    const auto found = last.find(key);
    if (found != last.end() && *records[i].offset <= found->second) {
      LineReader(path, lines[i])
          .fail(fmt::format("offset {} is not above {}, the offset of the "
                            "partition's record before it",
                            *records[i].offset, found->second));
    }
    last[key] = *records[i].offset;
  }
}

}  // namespace

std::vector<TestRecord> read_records_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw RecordsFileError(
        fmt::format("{}: cannot read the records file", path.string()));
  }
  std::vector<TestRecord> records;
  std::vector<size_t> lines;
  std::string text;
  for (size_t line = 1; std::getline(in, text); ++line) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    records.push_back(LineReader(path, line).record(text));
    lines.push_back(line);
  }
  if (records.empty()) {
    throw RecordsFileError(fmt::format("{}: holds no records", path.string()));
  }
  check_offset_order(records, lines, path);
  return records;
}

std::vector<TestRecord> generate_records(size_t count) {
  std::vector<TestRecord> records;
  records.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    TestRecord record;
    record.topic = kGeneratedTopic;
    record.partition = static_cast<int32_t>(i % 2);
    record.timestamp_ms = 1'700'000'000'000 + static_cast<int64_t>(i);
    record.key = fmt::format("key-{}", i);
    record.value =
        json{{"id", i}, {"name", fmt::format("record {}", i)}}.dump();
    record.headers.emplace_back("rdconnect-plugin-test", "generated");
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace rdconnect::plugin_test
