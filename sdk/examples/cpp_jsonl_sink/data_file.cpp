#include "data_file.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <rdconnect/plugin.hpp>

namespace jsonl_sink {
namespace {

std::string reason(const std::string& what, const std::string& path) {
  return "cannot " + what + " '" + path + "': " + std::strerror(errno);
}

}  // namespace

DataFile::DataFile(std::string path) : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(reason("open", path_));
  // flock() locks belong to the open file, so two instances in the same
  // process exclude each other as two processes do.
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const bool busy = errno == EWOULDBLOCK;
    const std::string message =
        busy ? "'" + path_ +
                   "' is written by another instance; give each task its "
                   "own path (tasks = 1)"
             : reason("lock", path_);
    ::close(fd_);
    throw std::runtime_error(message);
  }
}

DataFile::~DataFile() { ::close(fd_); }  // also releases the lock

uint64_t DataFile::size() const {
  struct stat status {};
  if (::fstat(fd_, &status) != 0) {
    throw std::runtime_error(reason("stat", path_));
  }
  return static_cast<uint64_t>(status.st_size);
}

void DataFile::truncate(uint64_t length) {
  if (::ftruncate(fd_, static_cast<off_t>(length)) != 0) {
    throw std::runtime_error(reason("truncate", path_));
  }
  sync();
}

void DataFile::write_at(uint64_t position, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written =
        ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(position));
    if (written < 0 && errno == EINTR) continue;
    // ENOSPC and the like may clear up: the host repeats the call.
    if (written < 0) throw rdconnect::RetriableError(reason("write", path_));
    bytes.remove_prefix(static_cast<size_t>(written));
    position += static_cast<uint64_t>(written);
  }
}

void DataFile::sync() {
  // Fatal, not retriable: after a failed fsync() Linux may have dropped the
  // dirty pages and marked them clean, so a second fsync() could succeed
  // without the data being on disk. A new instance instead cuts the file
  // back to the last recorded length and the host delivers those records
  // again.
  if (::fsync(fd_) != 0) throw std::runtime_error(reason("fsync", path_));
}

}  // namespace jsonl_sink
