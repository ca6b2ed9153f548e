// Records in full — partition, timestamp and headers as well as key and
// value — for tests that must say exactly what went into a topic and check
// exactly what came out of another (dead-letter topics).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rdconnect::testing {

struct KafkaHeader {
  std::string name;
  /// nullopt for a null header value.
  std::optional<std::string> value;

  bool operator==(const KafkaHeader&) const = default;
};

struct KafkaRecord {
  int32_t partition = 0;
  /// Set by produce_records and read_records.
  int64_t offset = -1;
  /// Milliseconds since the epoch.
  int64_t timestamp_ms = 0;
  std::optional<std::string> key;
  std::optional<std::string> value;
  std::vector<KafkaHeader> headers;
};

/// Produce `records` to `topic` in order, each to its own partition with
/// its own timestamp and headers, through an idempotent producer; wait until
/// the broker acknowledged them all and set each record's offset. Throws
/// when one could not be delivered.
void produce_records(const std::string& topic,
                     std::vector<KafkaRecord>& records);

/// Every record of `topic` with its timestamp and headers, read from the
/// beginning to the end offsets as they are when the call starts, by a
/// consumer outside any group; in offset order per partition.
std::vector<KafkaRecord> read_records(
    const std::string& topic,
    std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace rdconnect::testing
