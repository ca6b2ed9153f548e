// When and how log_sink rotates its file.
#pragma once

#include <cstdint>

namespace rdconnect::log_sink {

/// Size-based rotation: once the file holds max_bytes or more, it becomes
/// PATH.1 (PATH.1 becomes PATH.2, and so on; PATH.<keep> is dropped) and
/// writing continues in a new PATH.
struct Rotation {
  uint64_t max_bytes = 0;  // 0: never rotate.
  uint64_t keep = 0;       // Rotated files to keep; at least 1 when rotating.

  bool enabled() const { return max_bytes != 0; }
  bool operator==(const Rotation&) const = default;
};

}  // namespace rdconnect::log_sink
