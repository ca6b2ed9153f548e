// Where the build put the things tests run, and a scratch directory.
#pragma once

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

namespace rdconnect::testing {

/// build/bin/rdconnect.
inline std::filesystem::path rdconnect_binary() { return RDCONNECT_BINARY; }

/// build/plugins.
inline std::filesystem::path plugin_directory() { return RDCONNECT_PLUGIN_DIR; }

/// tests/support/python/NAME: the reference clients tests run.
inline std::filesystem::path python_support_script(const std::string& name) {
  return std::filesystem::path(RDCONNECT_PYTHON_SUPPORT_DIR) / name;
}

/// A fresh directory, removed with everything in it on destruction.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string& prefix);
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const {
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

/// Write `text` to `path`, replacing it.
void write_text(const std::filesystem::path& path, const std::string& text);

/// The lines of `in` / `text`, without their '\n'.
std::vector<std::string> lines_of(std::istream& in);
std::vector<std::string> lines_of(const std::string& text);

/// The lines of a text file (empty if it does not exist).
std::vector<std::string> read_lines(const std::filesystem::path& path);

}  // namespace rdconnect::testing
