// Encodings for writing record fields as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rdconnect::log_sink {

/// True when `bytes` is well-formed UTF-8 (RFC 3629): no overlong forms, no
/// surrogates, nothing above U+10FFFF, no truncated sequence.
bool is_valid_utf8(std::string_view bytes);

/// Appends `value` in decimal.
void append_decimal(int64_t value, std::string& out);

/// Appends `bytes` in standard base64 (RFC 4648, section 4) with padding.
void append_base64(std::string_view bytes, std::string& out);

}  // namespace rdconnect::log_sink
