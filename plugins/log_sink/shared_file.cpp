#include "shared_file.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>
#include <utility>

namespace rdconnect::log_sink {
namespace {

// Files are created and destroyed only under the registry lock, so a path
// is never open twice, not even while its last user is closing it.
struct Registry {
  struct Entry {
    std::unique_ptr<SharedFile> file;
    size_t users = 0;
  };
  std::mutex mutex;
  std::map<std::string, Entry> files;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

// Spellings of one file ("out.log", "./out.log", a symlink to it) must share
// one entry.
std::string registry_key(const std::string& path) {
  if (path == AppendFile::kStandardOutput) return path;
  return std::filesystem::weakly_canonical(std::filesystem::absolute(path))
      .string();
}

std::string describe(Rotation rotation) {
  return "rotate_bytes = " + std::to_string(rotation.max_bytes) +
         ", rotate_keep = " + std::to_string(rotation.keep);
}

// Closes the file when its last user is gone.
void release(const std::string& key) {
  Registry& shared = registry();
  std::lock_guard lock(shared.mutex);
  const auto entry = shared.files.find(key);
  if (--entry->second.users == 0) shared.files.erase(entry);
}

}  // namespace

std::shared_ptr<SharedFile> SharedFile::open(const std::string& path,
                                             Rotation rotation, mode_t mode) {
  const std::string key = registry_key(path);
  Registry& shared = registry();
  std::lock_guard lock(shared.mutex);
  auto entry = shared.files.find(key);
  if (entry == shared.files.end()) {
    std::unique_ptr<SharedFile> file(new SharedFile(key, rotation, mode));
    entry = shared.files.emplace(key, Registry::Entry{std::move(file)}).first;
  } else if (const Rotation existing = entry->second.file->file_.rotation();
             existing != rotation) {
    throw std::runtime_error("log_sink: '" + path +
                             "' is already written by another log_sink with " +
                             describe(existing) + ", not " +
                             describe(rotation) +
                             "; give every connector writing to it the same "
                             "settings");
  }
  ++entry->second.users;
  return std::shared_ptr<SharedFile>(entry->second.file.get(),
                                     [key](SharedFile*) { release(key); });
}

SharedFile::SharedFile(std::string path, Rotation rotation, mode_t mode)
    : file_(std::move(path), rotation, mode) {}

void SharedFile::write(std::string_view& lines) {
  std::lock_guard lock(mutex_);
  file_.write(lines);
}

void SharedFile::sync() {
  std::lock_guard lock(mutex_);
  file_.sync();
}

}  // namespace rdconnect::log_sink
