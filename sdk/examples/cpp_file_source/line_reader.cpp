#include "line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace file_source {
namespace {

constexpr size_t kReadSize = 64 * 1024;

std::runtime_error io_error(const std::string& what, const std::string& path) {
  return std::runtime_error("cannot " + what + " '" + path +
                            "': " + std::strerror(errno));
}

std::string_view without_carriage_return(std::string_view text) {
  // Files written on Windows end lines with "\r\n"; the '\r' is not part
  // of the line's content.
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

}  // namespace

LineReader::LineReader(std::string path, Position start)
    : path_(std::move(path)), position_(start), buffer_start_(start.byte) {}

LineReader::~LineReader() { close(); }

bool LineReader::open() {
  if (fd_ >= 0) return true;
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    if (errno == ENOENT) return false;
    throw io_error("open", path_);
  }
  struct stat status {};
  if (::fstat(fd_, &status) != 0) throw io_error("stat", path_);
  device_ = status.st_dev;
  inode_ = status.st_ino;
  return true;
}

void LineReader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  buffer_start_ = position_.byte;
  consumed_ = scanned_ = 0;
}

std::optional<Line> LineReader::next() {
  for (;;) {
    const size_t newline = buffer_.find('\n', scanned_);
    if (newline != std::string::npos) {
      const std::string_view text =
          std::string_view(buffer_).substr(consumed_, newline - consumed_);
      const Line line{
          .number = position_.line + 1,
          .start = position_.byte,
          .end = buffer_start_ + newline + 1,
          .text = without_carriage_return(text),
      };
      // The bytes stay in buffer_ until the next fill(), so that line.text
      // stays valid.
      consumed_ = scanned_ = newline + 1;
      position_ = {line.end, line.number};
      return line;
    }
    // A partial last line: its '\n' is not written yet.
    scanned_ = buffer_.size();
    if (!fill()) return std::nullopt;
  }
}

// Appends the next bytes of the file to buffer_, after dropping the lines
// already handed out. False at the end of the file, for now.
bool LineReader::fill() {
  buffer_.erase(0, consumed_);
  buffer_start_ += consumed_;
  scanned_ -= consumed_;
  consumed_ = 0;

  const size_t old_size = buffer_.size();
  buffer_.resize(old_size + kReadSize);
  ssize_t got;
  do {
    got = ::pread(fd_, buffer_.data() + old_size, kReadSize,
                  static_cast<off_t>(buffer_start_ + old_size));
  } while (got < 0 && errno == EINTR);
  buffer_.resize(old_size + static_cast<size_t>(got > 0 ? got : 0));
  if (got < 0) throw io_error("read", path_);
  return got > 0;
}

bool LineReader::truncated_or_replaced() const {
  struct stat status {};
  // Gone (rotated away, not yet recreated): wait, it may come back.
  if (::stat(path_.c_str(), &status) != 0) return false;
  if (status.st_dev != device_ || status.st_ino != inode_) return true;
  const uint64_t read_up_to = buffer_start_ + buffer_.size();
  return static_cast<uint64_t>(status.st_size) < read_up_to;
}

void LineReader::restart() {
  position_ = {};
  close();
}

std::optional<std::string> LineReader::reread(uint64_t start,
                                              uint64_t end) const {
  if (fd_ < 0 || end <= start) return std::nullopt;
  std::string line(end - start, '\0');
  const ssize_t got =
      ::pread(fd_, line.data(), line.size(), static_cast<off_t>(start));
  // A short read, or no '\n' where it was: the file changed under us.
  if (got != static_cast<ssize_t>(line.size()) || line.back() != '\n') {
    return std::nullopt;
  }
  line.pop_back();
  line.resize(without_carriage_return(line).size());
  return line;
}

}  // namespace file_source
