// The validated configuration of a log_sink instance.
#pragma once

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
};

/// Reads and checks the options; throws std::invalid_argument naming the key
/// of the first invalid value.
LogSinkOptions parse_log_sink_options(const Config& config);

}  // namespace rdconnect::log_sink
