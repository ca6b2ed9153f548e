// RFC 3339 timestamps with millisecond precision.
#pragma once

#include <chrono>
#include <string>

namespace rdconnect::uuid_source {

/// Length of the text format_rfc3339_millis appends.
inline constexpr size_t kRfc3339MillisLength = 24;

/// Appends `time` in UTC as "YYYY-MM-DDTHH:MM:SS.mmmZ" (truncated to the
/// millisecond). Years outside 0000-9999 are not representable.
void append_rfc3339_millis(std::chrono::system_clock::time_point time,
                           std::string& out);

}  // namespace rdconnect::uuid_source
