// Writing JSON text piece by piece, for the Avro decoder: strings, numbers
// and bytes as base64.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rdconnect::schema {

/// Where `text` stops being UTF-8 (a byte offset), or nullopt when it all
/// is: overlong forms, surrogates and code points above U+10FFFF are not.
std::optional<size_t> find_invalid_utf8(std::string_view text);

/// Appends `text`, which must be UTF-8, as a JSON string (quotes included).
void append_json_string(std::string& out, std::string_view text);

/// Appends the shortest text that reads back as `value`; NaN and the
/// infinities as the strings "NaN", "Infinity" and "-Infinity", as proto3's
/// JSON mapping has them, since JSON has no such numbers.
void append_json_number(std::string& out, double value);
void append_json_number(std::string& out, float value);
void append_json_number(std::string& out, int64_t value);

/// Appends `bytes` as a JSON string of their base64 (standard alphabet,
/// padded).
void append_base64(std::string& out, std::span<const std::byte> bytes);

}  // namespace rdconnect::schema
