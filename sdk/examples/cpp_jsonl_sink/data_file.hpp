// The data file: written at known positions, so that writes can be
// repeated and the file cut back to its last good length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace jsonl_sink {

/// An open data file, locked against other instances for as long as this
/// object lives. Two instances appending to one file would interleave
/// their lines and overwrite each other's state file.
class DataFile {
 public:
  /// Opens (creating it if needed) and locks `path`. Throws
  /// std::runtime_error when it cannot, or when another instance holds it.
  explicit DataFile(std::string path);
  ~DataFile();
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  uint64_t size() const;
  /// Cuts the file to `length` bytes and syncs the cut.
  void truncate(uint64_t length);
  /// Writes `bytes` at `position`. Writing at a position rather than
  /// appending makes a repeated write (after a failed one) land in the same
  /// place. Throws rdconnect::RetriableError on failure.
  void write_at(uint64_t position, std::string_view bytes);
  /// fsync(). Throws std::runtime_error (fatal) on failure: see the .cpp.
  void sync();

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace jsonl_sink
