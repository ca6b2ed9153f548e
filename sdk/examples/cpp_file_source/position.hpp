// Where reading resumes, and the position file that keeps it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace file_source {

/// A place in the input file, just after a line.
struct Position {
  /// Bytes from the start of the file.
  uint64_t byte = 0;
  /// Lines before `byte`: the next line's number is line + 1.
  uint64_t line = 0;
};

/// Reads the position file at `path`; std::nullopt when there is none yet.
/// Throws std::runtime_error when it is unreadable or malformed.
std::optional<Position> load_position(const std::string& path);

/// Replaces the position file atomically (temporary file, fsync, rename,
/// fsync of the directory): a crash leaves the old position or the new one.
/// Throws rdconnect::RetriableError on an I/O error.
void store_position(const std::string& path, const Position& position);

}  // namespace file_source
