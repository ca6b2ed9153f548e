// The host's logging: spdlog to stderr. Plugins log through the host.
#pragma once

#include <string>

namespace rdconnect {

/// Configure the default logger: stderr, "time level message" lines.
/// `level` is one of trace, debug, info, warn, error; throws
/// std::invalid_argument for anything else.
void setup_logging(const std::string& level);

}  // namespace rdconnect
