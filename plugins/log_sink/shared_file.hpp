// One AppendFile per path for the whole process.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "append_file.hpp"
#include "rotation.hpp"

namespace rdconnect::log_sink {

/// The AppendFile of one path, shared by every log_sink instance of the
/// process that writes there (a connector with tasks = 2 runs two instances
/// on one path). Each write is a single critical section over a whole
/// batch of complete lines, so lines of concurrent instances never
/// interleave, and rotation happens under the same lock. Each instance
/// buffers its own lines, so that one that fails takes only its own
/// unflushed lines with it.
///
/// One descriptor per path is simpler and safer than one per instance:
/// those would rely on every write being atomic, which O_APPEND does not
/// promise for partial writes, and two writers rotating one file would race.
class SharedFile {
 public:
  /// The open file for `path` ("-" for standard output), opened on first
  /// use, created with permissions `mode` if missing (see AppendFile).
  /// Throws std::runtime_error if it cannot be opened, or if another
  /// instance already writes there with different rotation settings.
  static std::shared_ptr<SharedFile> open(const std::string& path,
                                          Rotation rotation, mode_t mode);

  /// See AppendFile::write.
  void write(std::string_view& lines);
  /// See AppendFile::sync; covers every instance's lines.
  void sync();

 private:
  SharedFile(std::string path, Rotation rotation, mode_t mode);

  std::mutex mutex_;
  AppendFile file_;
};

}  // namespace rdconnect::log_sink
