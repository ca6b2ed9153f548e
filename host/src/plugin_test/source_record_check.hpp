// What a source's poll() hands back, checked against plugin.h: well-formed
// records, which must stay as they are until the next poll().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <rdconnect/plugin.h>

namespace rdconnect::plugin_test {

/// Each problem of `result` ("record 3: partition -7 ..."), for a poll()
/// asked for at most `max_records`. Reads every byte the records point to,
/// so that a dangling pointer shows here rather than in the producer.
std::vector<std::string> poll_result_problems(const rdc_poll_result& result,
                                              size_t max_records);

/// A hash of everything the records hold (pointers followed), to tell
/// whether they changed before the next poll(). `result` must have passed
/// poll_result_problems.
uint64_t fingerprint(const rdc_poll_result& result);

}  // namespace rdconnect::plugin_test
