// The validated configuration of a log_sink instance.
#pragma once

#include <sys/types.h>

#include <string>

#include <rdconnect/plugin.hpp>

#include "rotation.hpp"

namespace rdconnect::log_sink {

enum class LineFormat { kJson, kText };

/// See kLogSinkConfig in plugin.cpp for what each option means.
struct LogSinkOptions {
  std::string path;  // "-": standard output.
  LineFormat format;
  Rotation rotation;
  mode_t file_mode;  // Of a file the sink creates, before the umask.
};

/// Reads and checks the options; throws std::invalid_argument naming the key
/// of the first invalid value.
LogSinkOptions parse_log_sink_options(const Config& config);

}  // namespace rdconnect::log_sink
