// The file log_sink appends its lines to.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "rotation.hpp"

namespace rdconnect::log_sink {

/// Appends complete lines to a file, or to standard output, and rotates a
/// regular file by size. Not thread-safe; see SharedFile. Another process
/// appending to the same file is not supported.
///
/// A line reaches the file whole or not at all: when a write fails part-way
/// (disk full), the file is cut back to the end of the last whole line, so
/// that neither a crash nor the retry leaves half a line behind.
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
  ~AppendFile();
  AppendFile(const AppendFile&) = delete;
  AppendFile& operator=(const AppendFile&) = delete;

  /// Writes `lines`, each ending in '\n', removing from the front of the
  /// view what is written. Throws RetriableError when a write fails; the
  /// view then starts at the first line that is not in the file.
  void write(std::string_view& lines);

  /// For a regular file, waits until what was written is on disk. Throws
  /// std::runtime_error when the data may have been lost.
  void sync();

  Rotation rotation() const { return rotation_; }

 private:
  bool is_standard_output() const { return path_ == kStandardOutput; }
  int open_file();
  void reopen();
  std::string_view next_chunk(std::string_view pending) const;
  void write_chunk(std::string_view chunk, std::string_view& lines);
  void cut_back_to(uint64_t size, const std::string& reason);
  bool rotation_enabled() const;
  bool rotation_due() const;
  void rotate();
  void shift_rotated_files();
  std::string rotated_path(uint64_t number) const;
  void close_file();
  [[noreturn]] void fail(std::string_view action,
                         const std::string& reason) const;

  std::string path_;
  Rotation rotation_;
  mode_t mode_;
  int fd_ = -1;
  bool regular_file_ = false;
  uint64_t file_size_ = 0;
  // False only for a file found ending mid-line, until it is terminated.
  bool ends_with_newline_ = true;
  bool synced_ = true;
};

}  // namespace rdconnect::log_sink
