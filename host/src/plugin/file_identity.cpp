#include "plugin/file_identity.hpp"

#include <sys/stat.h>

namespace rdconnect::plugin {

std::optional<FileIdentity> identify(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return std::nullopt;
  return FileIdentity{
      .device = status.st_dev,
      .inode = status.st_ino,
      .size = static_cast<int64_t>(status.st_size),
      .modified_ns = static_cast<int64_t>(status.st_mtim.tv_sec) * 1000000000 +
                     status.st_mtim.tv_nsec};
}

}  // namespace rdconnect::plugin
