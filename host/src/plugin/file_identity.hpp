// Which file a path names right now: what tells a plugin library replaced
// on disk (installed anew, by rename) from the one the host has mapped.
#pragma once

#include <sys/types.h>

#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>

namespace rdconnect::plugin {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  int64_t size = 0;
  int64_t modified_ns = 0;

  auto operator<=>(const FileIdentity&) const = default;
};

/// The identity of the file `path` names (following symlinks); nullopt
/// when it cannot be stat'ed.
std::optional<FileIdentity> identify(const std::filesystem::path& path);

}  // namespace rdconnect::plugin
