// What the host asks of a source's poll(): at most this many records,
// waiting at most this long. rdconnect-plugin-test asks the same.
#pragma once

#include <cstddef>

namespace rdconnect::runtime {

inline constexpr size_t kSourceMaxRecordsPerPoll = 1000;
inline constexpr int kSourcePollTimeoutMs = 100;

}  // namespace rdconnect::runtime
