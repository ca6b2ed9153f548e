// The state file beside the data file: how much of the data file is good,
// and where each topic-partition resumes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace jsonl_sink {

/// What the last successful flush() made durable.
struct OffsetState {
  /// Bytes of the data file that hold complete, flushed lines. Anything
  /// past it was written after the last good flush and is dropped.
  uint64_t data_length = 0;
  /// Per (topic, partition): the offset of the next record to write.
  std::map<std::pair<std::string, int32_t>, int64_t> next_offsets;
};

/// Reads the state file at `path`; std::nullopt when there is none yet.
/// Throws std::runtime_error when it cannot be read or is malformed.
std::optional<OffsetState> load_offset_state(const std::string& path);

/// Replaces the state file at `path` atomically: a crash at any moment
/// leaves either the old state or the new one, never a mix. Throws
/// rdconnect::RetriableError on an I/O error (a full disk may clear up).
void save_offset_state(const std::string& path, const OffsetState& state);

}  // namespace jsonl_sink
