// Reading a whole file into memory (config files, ${file:...} values).
#pragma once

#include <filesystem>
#include <string>

namespace rdconnect {

/// The contents of `path`. Throws std::system_error with the errno of the
/// failed open or read; the caller says which file it was and why it read
/// it.
std::string read_whole_file(const std::filesystem::path& path);

}  // namespace rdconnect
