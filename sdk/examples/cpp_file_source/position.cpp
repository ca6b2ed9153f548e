#include "position.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <rdconnect/plugin.hpp>

namespace file_source {
namespace {

[[noreturn]] void fail_io(const std::string& what, const std::string& path) {
  throw rdconnect::RetriableError("cannot " + what + " '" + path +
                                  "': " + std::strerror(errno));
}

void write_all(int fd, std::string_view bytes, const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail_io("write", path);
    bytes.remove_prefix(static_cast<size_t>(written));
  }
}

// A rename is durable only once the directory holding the name is synced.
void sync_directory_of(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail_io("open directory", directory);
  const int synced = ::fsync(fd);
  ::close(fd);
  if (synced != 0) fail_io("fsync directory", directory);
}

}  // namespace

std::optional<Position> load_position(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) return std::nullopt;
  std::ifstream in(path);
  Position position;
  // "BYTE LINE\n": text, so that a person can read or reset it.
  if (!(in >> position.byte >> position.line)) {
    throw std::runtime_error("'" + path +
                             "' holds no position (\"BYTE LINE\"); remove it "
                             "to read the file from its start");
  }
  return position;
}

void store_position(const std::string& path, const Position& position) {
  const std::string temporary = path + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io("create", temporary);
  try {
    write_all(fd,
              std::to_string(position.byte) + ' ' +
                  std::to_string(position.line) + '\n',
              temporary);
    if (::fsync(fd) != 0) fail_io("fsync", temporary);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail_io("rename", path);
  sync_directory_of(path);
}

}  // namespace file_source
