#include "common/whole_file.hpp"

#include <cerrno>
#include <cstdio>
#include <memory>
#include <system_error>

namespace rdconnect {

// stdio rather than a stream: errno says why it failed.
std::string read_whole_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, decltype(&std::fclose)> file(
      std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) throw std::system_error(errno, std::generic_category());
  std::string contents;
  char buffer[64 * 1024];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) {
    contents.append(buffer, count);
  }
  if (std::ferror(file.get())) {
    throw std::system_error(errno, std::generic_category());
  }
  return contents;
}

}  // namespace rdconnect
