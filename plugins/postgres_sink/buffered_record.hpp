// A record copied out of put(): the host's views die when put() returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rdconnect::postgres_sink {

/// A record header; value nullopt for a null header value.
struct BufferedHeader {
  std::string name;
  std::optional<std::string> value;
};

struct BufferedRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  /// Milliseconds since the epoch; nullopt when the record has none.
  std::optional<int64_t> timestamp_ms;
  /// nullopt for a Kafka null key.
  std::optional<std::string> key;
  /// nullopt for a tombstone.
  std::optional<std::string> value;
  /// Kept for the dead-letter copy of a record refused when it is written.
  std::vector<BufferedHeader> headers;
};

/// For COPY rows: a null pointer (SQL NULL) for nullopt. The texts of a
/// buffered record hold no NUL byte (checked in put()), so a c_str() is the
/// whole text.
inline const char* c_str_or_null(const std::optional<std::string>& text) {
  return text ? text->c_str() : nullptr;
}

}  // namespace rdconnect::postgres_sink
