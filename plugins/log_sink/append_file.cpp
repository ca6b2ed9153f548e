#include "append_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <utility>

#include <rdconnect/plugin.hpp>

namespace rdconnect::log_sink {
namespace {

// Big enough that a write system call carries thousands of lines.
constexpr size_t kBufferCapacity = 1 << 20;

std::string error_text(int error) {
  return std::system_category().message(error);
}

// Whether the non-empty regular file at `path` ends in the middle of a line.
// A file we may write but not read is assumed to be complete.
bool ends_mid_line(const std::string& path, uint64_t size) {
  const int reader = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (reader < 0) return false;
  char last = '\n';
  const bool read =
      ::pread(reader, &last, 1, static_cast<off_t>(size - 1)) == 1;
  ::close(reader);
  return read && last != '\n';
}

}  // namespace

AppendFile::AppendFile(std::string path, Rotation rotation, mode_t mode)
    : path_(std::move(path)), rotation_(rotation), mode_(mode) {
  if (const int error = open_file()) {
    throw std::runtime_error("log_sink: cannot open '" + path_ +
                             "' for appending: " + error_text(error) +
                             "; check that the directory exists and is "
                             "writable");
  }
}

// Lines that were never flushed are not committed either, so if writing
// them fails here they are only delivered again after a restart.
AppendFile::~AppendFile() {
  try {
    write_buffered();
  } catch (const std::exception&) {
  }
  close_file();
}

void AppendFile::append(std::string_view lines) {
  if (buffer_.size() - written_ + lines.size() > kBufferCapacity) {
    write_buffered();
  }
  buffer_.append(lines);
}

void AppendFile::flush() {
  write_buffered();
  sync();
}

// Returns 0 or the errno of the failure.
int AppendFile::open_file() {
  if (is_standard_output()) {
    fd_ = STDOUT_FILENO;
  } else {
    fd_ =
        ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode_);
    if (fd_ < 0) return errno;
  }
  struct stat status {};
  if (::fstat(fd_, &status) != 0) {
    const int error = errno;
    close_file();
    return error;
  }
  regular_file_ = S_ISREG(status.st_mode);
  file_size_ = regular_file_ ? static_cast<uint64_t>(status.st_size) : 0;
  ends_with_newline_ = true;
  if (regular_file_ && !is_standard_output() && file_size_ > 0 &&
      ends_mid_line(path_, file_size_)) {
    ends_with_newline_ = false;
    buffer_.insert(written_, "\n");
  }
  return 0;
}

void AppendFile::reopen() {
  if (const int error = open_file()) fail("reopen", error_text(error));
}

void AppendFile::write_buffered() {
  while (written_ < buffer_.size()) {
    if (fd_ < 0) reopen();
    if (rotation_due()) rotate();
    write_chunk(next_chunk());
  }
  buffer_.clear();
  written_ = 0;
}

// With rotation, the pending bytes up to the end of the line that reaches
// the size limit; otherwise all of them.
std::string_view AppendFile::next_chunk() const {
  const std::string_view pending = std::string_view(buffer_).substr(written_);
  if (!rotation_enabled()) return pending;
  const uint64_t limit = rotation_.max_bytes;
  const uint64_t last_byte_within_limit =
      file_size_ < limit ? limit - file_size_ - 1 : 0;
  if (last_byte_within_limit >= pending.size()) return pending;
  const size_t line_end = pending.find('\n', last_byte_within_limit);
  return line_end == std::string_view::npos ? pending
                                            : pending.substr(0, line_end + 1);
}

void AppendFile::write_chunk(std::string_view chunk) {
  while (!chunk.empty()) {
    const ssize_t written = ::write(fd_, chunk.data(), chunk.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail("write to", error_text(errno));
    if (written == 0) fail("write to", "the system wrote nothing");
    const auto count = static_cast<size_t>(written);
    written_ += count;
    file_size_ += count;
    synced_ = false;
    ends_with_newline_ = chunk[count - 1] == '\n';
    chunk.remove_prefix(count);
  }
}

bool AppendFile::rotation_enabled() const {
  return rotation_.enabled() && regular_file_ && !is_standard_output();
}

bool AppendFile::rotation_due() const {
  return rotation_enabled() && ends_with_newline_ &&
         file_size_ >= rotation_.max_bytes;
}

void AppendFile::rotate() {
  sync();
  close_file();
  shift_rotated_files();
  reopen();
}

void AppendFile::shift_rotated_files() {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::remove(rotated_path(rotation_.keep), error);
  if (error) fail("remove the oldest rotated file of", error.message());
  for (uint64_t number = rotation_.keep; number > 1; --number) {
    fs::rename(rotated_path(number - 1), rotated_path(number), error);
    if (error && error != std::errc::no_such_file_or_directory) {
      fail("shift the rotated files of", error.message());
    }
  }
  fs::rename(path_, rotated_path(1), error);
  if (error) fail("rotate", error.message());
}

std::string AppendFile::rotated_path(uint64_t number) const {
  return path_ + "." + std::to_string(number);
}

// A failed fdatasync is fatal, not retriable: Linux may drop the dirty pages
// and report the error only once, so a second fdatasync could succeed
// without the data being on disk, and the host would commit lost records.
void AppendFile::sync() {
  if (synced_ || !regular_file_) return;
  if (::fdatasync(fd_) != 0) {
    throw std::runtime_error("log_sink: cannot sync '" + path_ +
                             "' to disk: " + error_text(errno) +
                             "; records since the last flush may be lost "
                             "and will be delivered again after a restart");
  }
  synced_ = true;
}

void AppendFile::close_file() {
  if (fd_ >= 0 && !is_standard_output()) ::close(fd_);
  fd_ = -1;
}

void AppendFile::fail(std::string_view action,
                      const std::string& reason) const {
  throw RetriableError("log_sink: cannot " + std::string(action) + " '" +
                       path_ + "': " + reason);
}

}  // namespace rdconnect::log_sink
