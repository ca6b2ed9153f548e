#include "log_sink_options.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace rdconnect::log_sink {
namespace {

// Rotation renames every kept file, so an enormous count makes each
// rotation slow for no benefit.
constexpr int64_t kMaxRotateKeep = 1000;

[[noreturn]] void reject(const char* key, const std::string& value,
                         const std::string& expected) {
  throw std::invalid_argument("log_sink: config key '" + std::string(key) +
                              "' is " + value + ", but must be " + expected);
}

LineFormat parse_format(const Config& config) {
  const std::string format = config.string("format");
  if (format == "json") return LineFormat::kJson;
  if (format == "text") return LineFormat::kText;
  reject("format", "\"" + format + "\"", "\"json\" or \"text\"");
}

// Three or four octal digits ("640", "0640"), permission bits only: no
// setuid, setgid or sticky bit. Without owner write the sink could create
// the file but not reopen it after a rotation or a restart.
mode_t parse_file_mode(const Config& config) {
  const std::string text = config.string("file_mode");
  const bool octal = (text.size() == 3 || text.size() == 4) &&
                     text.find_first_not_of("01234567") == std::string::npos;
  const unsigned long mode = octal ? std::stoul(text, nullptr, 8) : 0;
  if (!octal || mode > 0777 || (mode & 0200) == 0) {
    reject("file_mode", "\"" + text + "\"",
           "permission bits in octal, such as \"0600\" or \"0640\", "
           "including owner write (0200)");
  }
  return static_cast<mode_t>(mode);
}

Rotation parse_rotation(const Config& config) {
  const int64_t max_bytes = config.integer("rotate_bytes");
  if (max_bytes < 0) {
    reject("rotate_bytes", std::to_string(max_bytes), "0 (never) or more");
  }
  const int64_t keep = config.integer("rotate_keep");
  if (keep < 1 || keep > kMaxRotateKeep) {
    reject("rotate_keep", std::to_string(keep),
           "between 1 and " + std::to_string(kMaxRotateKeep));
  }
  return {.max_bytes = static_cast<uint64_t>(max_bytes),
          .keep = static_cast<uint64_t>(keep)};
}

}  // namespace

LogSinkOptions parse_log_sink_options(const Config& config) {
  std::string path = config.string("path");
  if (path.empty()) reject("path", "empty", "a file path or \"-\" for stdout");
  return {.path = std::move(path),
          .format = parse_format(config),
          .rotation = parse_rotation(config),
          .file_mode = parse_file_mode(config)};
}

}  // namespace rdconnect::log_sink
