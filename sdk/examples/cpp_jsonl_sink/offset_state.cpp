#include "offset_state.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <rdconnect/plugin.hpp>

namespace jsonl_sink {
namespace {

// First line of the file, so that a wrong file given as the state is
// refused instead of misread.
constexpr std::string_view kMagic = "rdconnect-jsonl-offsets 1";

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

std::string serialize(const OffsetState& state) {
  // Text, so that a person can read (and in an emergency, edit) it. Kafka
  // topic names hold no whitespace, so space-separated fields are safe.
  std::ostringstream out;
  out << kMagic << '\n' << "length " << state.data_length << '\n';
  for (const auto& [partition, next] : state.next_offsets) {
    out << partition.first << ' ' << partition.second << ' ' << next << '\n';
  }
  return out.str();
}

}  // namespace

std::optional<OffsetState> load_offset_state(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::exists(path, error) && !error) return std::nullopt;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  const auto malformed = [&] {
    return std::runtime_error(
        "'" + path +
        "' is not a jsonl sink state file; move it away to start over");
  };
  std::string line;
  std::getline(in, line);
  if (line != kMagic) throw malformed();
  OffsetState state;
  std::string word;
  if (!(in >> word >> state.data_length) || word != "length") throw malformed();
  std::string topic;
  int32_t partition = 0;
  int64_t next = 0;
  while (in >> topic >> partition >> next) {
    state.next_offsets[{topic, partition}] = next;
  }
  if (!in.eof()) throw malformed();
  return state;
}

void save_offset_state(const std::string& path, const OffsetState& state) {
  // Write a temporary file, sync it, then rename it over the old one:
  // rename() replaces a name atomically, so a reader (the next create())
  // sees either the whole old file or the whole new one.
  const std::string temporary = path + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_io("create", temporary);
  try {
    write_all(fd, serialize(state), temporary);
    if (::fsync(fd) != 0) fail_io("fsync", temporary);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) fail_io("rename", path);
  sync_directory_of(path);
}

}  // namespace jsonl_sink
