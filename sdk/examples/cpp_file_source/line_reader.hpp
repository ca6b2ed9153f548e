// Reads complete lines from a file that is still being written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "position.hpp"

namespace file_source {

/// One complete line of the file.
struct Line {
  /// 1 for the first line of the file.
  uint64_t number;
  /// Byte position of its first byte, and just after its '\n'.
  uint64_t start;
  uint64_t end;
  /// Without the '\n' (and without a '\r' before it); valid until the next
  /// call of the reader.
  std::string_view text;
};

/// Tails `path` from a position: hands out each line once its '\n' is
/// there, so a line still being written is never cut in two. The file may
/// not exist yet; open() is tried again until it does.
class LineReader {
 public:
  LineReader(std::string path, Position start);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Opens the file if it is not open yet; false while it does not exist.
  /// Throws std::runtime_error for any other failure.
  bool open();

  /// The next complete line, or std::nullopt when there is none yet.
  std::optional<Line> next();

  /// True when the file at `path` is now shorter than what was read (it
  /// was truncated) or is another file (it was replaced). Then the lines
  /// to come are not those after position(): call restart().
  bool truncated_or_replaced() const;

  /// Reads the same file again, from its start.
  void restart();

  /// The line at [start, end), read again (for a line whose delivery
  /// failed), or std::nullopt when the file no longer holds it.
  std::optional<std::string> reread(uint64_t start, uint64_t end) const;

  /// Just after the last line next() returned.
  Position position() const { return position_; }

 private:
  bool fill();
  void close();

  std::string path_;
  int fd_ = -1;
  // Which file fd_ is, to notice when path_ names another one.
  dev_t device_ = 0;
  ino_t inode_ = 0;
  Position position_;
  // Bytes of the file from buffer_start_ on, as far as read so far:
  // handed-out lines up to consumed_ (dropped on the next read), then the
  // start of a line whose '\n' has not come yet.
  std::string buffer_;
  uint64_t buffer_start_ = 0;
  size_t consumed_ = 0;
  // buffer_ holds no '\n' between consumed_ and scanned_.
  size_t scanned_ = 0;
};

}  // namespace file_source
