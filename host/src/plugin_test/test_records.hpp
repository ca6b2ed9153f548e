// The records the harness gives a sink: read from a JSON Lines file, or
// generated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rdconnect::plugin_test {

/// A record the harness owns. The offset is assigned when it is put, unless
/// the file gave one.
struct TestRecord {
  std::string topic;
  int32_t partition = 0;
  std::optional<int64_t> offset;
  int64_t timestamp_ms = -1;
  std::optional<std::string> key;
  /// nullopt: a tombstone.
  std::optional<std::string> value;
  std::vector<std::pair<std::string, std::optional<std::string>>> headers;
};

/// A records file that cannot be used; what() says "FILE:LINE: why".
class RecordsFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One JSON object per line: "topic" (string), "partition" (int >= 0) and
/// "value" are required; "key", "offset" (increasing per partition),
/// "timestamp_ms" and "headers" (an object) are optional. A key, value or
/// header value that is a string is taken as is, null is null, any other
/// JSON value is serialised. Blank lines are skipped. Throws
/// RecordsFileError.
std::vector<TestRecord> read_records_file(const std::filesystem::path& path);

/// The topic generated records go to.
inline constexpr const char* kGeneratedTopic = "harness";

/// `count` records with JSON values, alternating between partitions 0 and 1
/// of kGeneratedTopic.
std::vector<TestRecord> generate_records(size_t count);

}  // namespace rdconnect::plugin_test
