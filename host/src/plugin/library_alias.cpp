#include "plugin/library_alias.hpp"

#include <unistd.h>

#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <utility>

#include <fmt/format.h>

namespace rdconnect::plugin {
namespace {

struct Loaded {
  std::mutex mutex;
  /// Per path: the identity it was first loaded as.
  std::map<std::string, FileIdentity> first;
  /// Per path and later identity: the alias it was loaded by.
  std::map<std::pair<std::string, FileIdentity>, std::filesystem::path> aliases;
  int next = 0;
};

Loaded& loaded() {
  static Loaded instance;
  return instance;
}

}  // namespace

LibraryAlias::LibraryAlias(const std::filesystem::path& file,
                           const FileIdentity& identity)
    : lock_(loaded().mutex) {
  Loaded& known = loaded();
  const auto [first, inserted] = known.first.emplace(file.string(), identity);
  if (inserted || first->second == identity) {
    path_ = file;
    return;
  }
  auto& alias = known.aliases[{file.string(), identity}];
  if (alias.empty()) {
    // The file's own name last, so that dlerror() messages still show it.
    alias = std::filesystem::temp_directory_path() /
            fmt::format("rdconnect-{}-{}-{}", ::getpid(), known.next++,
                        file.filename().string());
  }
  std::error_code ignored;
  std::filesystem::remove(alias, ignored);
  std::filesystem::create_symlink(std::filesystem::absolute(file), alias);
  path_ = alias;
  is_link_ = true;
}

// The mapping stays once loaded: the link is only needed to open it.
LibraryAlias::~LibraryAlias() {
  if (!is_link_) return;
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace rdconnect::plugin
