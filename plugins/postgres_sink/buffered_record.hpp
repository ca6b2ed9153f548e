// A record copied out of put(): the host's views die when put() returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rdconnect::postgres_sink {

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
};

}  // namespace rdconnect::postgres_sink
