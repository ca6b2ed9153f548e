// dlopen() hands back the library already loaded under the same path, even
// when the file at that path has been replaced since: glibc matches the
// name before it looks at the file. A plugin library installed anew while
// the host runs (a reload restarts its connectors on it) is therefore
// opened under a name of its own: a symlink made for the one dlopen().
#pragma once

#include <filesystem>
#include <mutex>

#include "plugin/file_identity.hpp"

namespace rdconnect::plugin {

/// The name to dlopen() `file` by while it is `identity`: the path itself
/// the first time, or whenever that path was first loaded as this same
/// file; otherwise a symlink to it, the same one for each identity, which
/// exists while the returned object lives. Thread-safe: one alias lives
/// at a time, so that no load removes the link another is opening.
class LibraryAlias {
 public:
  LibraryAlias(const std::filesystem::path& file, const FileIdentity& identity);
  ~LibraryAlias();
  LibraryAlias(const LibraryAlias&) = delete;
  LibraryAlias& operator=(const LibraryAlias&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool is_link_ = false;
  std::unique_lock<std::mutex> lock_;
};

}  // namespace rdconnect::plugin
