// The JSON value of a generated record.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace rdconnect::uuid_source {

/// The record's value: {"id":ID,"seq":SEQ,"created_at":"<RFC 3339>"}, plus a
/// "payload" string of 'x' characters when that is needed to reach
/// target_bytes. The value is exactly target_bytes long whenever target_bytes
/// leaves room for an empty payload field (106 to 125 bytes, depending on the
/// digits of seq); below that it is the value without payload. target_bytes 0
/// means no padding. Appends to out, so that a buffer reused for every record
/// costs no allocation once it has grown.
void append_record_value(std::string_view id, uint64_t seq,
                         std::chrono::system_clock::time_point created_at,
                         size_t target_bytes, std::string& out);

}  // namespace rdconnect::uuid_source
