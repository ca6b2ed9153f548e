// The file log_sink appends its lines to.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "rotation.hpp"

namespace rdconnect::log_sink {

/// Appends complete lines to a file, or to standard output, through a buffer
/// of its own, and rotates a regular file by size. Not thread-safe; see
/// SharedFile. Another process appending to the same file is not supported.
///
/// Bytes leave the buffer only once written, so after a failed write (disk
/// full) the next attempt continues exactly where the last one stopped: a
/// line is never lost, doubled or split across rotated files.
class AppendFile {
 public:
  /// The path that names standard output.
  static constexpr std::string_view kStandardOutput = "-";

  /// Opens `path` for appending, creating it if needed. If the file ends
  /// in the middle of a line (a writer died mid-write), that line is
  /// terminated first, so that it cannot swallow the next one. Rotation
  /// applies to regular files only. A file it creates (also after a
  /// rotation) gets permissions `mode`, less the umask. Throws
  /// std::runtime_error naming the path and the reason when the file cannot
  /// be opened.
  AppendFile(std::string path, Rotation rotation, mode_t mode);
  /// Writes out what is still buffered, as far as that succeeds.
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  /// Takes `lines`, each ending in '\n'. If they do not fit in the buffer,
  /// writes out the buffer first; when that fails, throws RetriableError
  /// without taking `lines`, so that repeating the call appends them exactly
  /// once.
  void append(std::string_view lines);

  /// Writes out the buffer and, for a regular file, waits until the data is
  /// on disk. Throws RetriableError when a write fails, std::runtime_error
  /// when the data may have been lost.
  void flush();

  Rotation rotation() const { return rotation_; }

 private:
  bool is_standard_output() const { return path_ == kStandardOutput; }
  int open_file();
  void reopen();
  void write_buffered();
  std::string_view next_chunk() const;
  void write_chunk(std::string_view chunk);
  bool rotation_enabled() const;
  bool rotation_due() const;
  void rotate();
  void shift_rotated_files();
  std::string rotated_path(uint64_t number) const;
  void sync();
  void close_file();
  [[noreturn]] void fail(std::string_view action,
                         const std::string& reason) const;

  std::string path_;
  Rotation rotation_;
  mode_t mode_;
  int fd_ = -1;
  bool regular_file_ = false;
  uint64_t file_size_ = 0;
  // Rotation waits for a line boundary, which a partial write may lack.
  bool ends_with_newline_ = true;
  bool synced_ = true;
  std::string buffer_;
  size_t written_ = 0;  // Leading bytes of buffer_ already in the file.
};

}  // namespace rdconnect::log_sink
