// Byte encodings that the host and plugins share: UTF-8 validation (every
// text a sink writes must be valid) and base64 (bytes written as JSON).
// Header-only, for the host and plugins alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rdconnect {
namespace encoding_detail {

inline constexpr uint64_t kHighBitOfEachByte = 0x8080808080808080ULL;

// Skips 8 bytes at a time while they are all ASCII, the common case for
// keys and JSON values.
inline size_t ascii_prefix_length(std::string_view bytes) {
  size_t length = 0;
  while (length + sizeof(uint64_t) <= bytes.size()) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + length, sizeof word);
    if ((word & kHighBitOfEachByte) != 0) break;
    length += sizeof word;
  }
  return length;
}

inline bool is_continuation(unsigned char byte) {
  return (byte & 0xc0) == 0x80;
}

// Length of the well-formed sequence starting at `at`, or 0 if there is
// none. The lead byte limits the second byte's range (Unicode 15, table
// 3-7): E0 and F0 exclude overlong forms, ED surrogates, F4 code points
// above U+10FFFF.
inline size_t sequence_length(const unsigned char* at, size_t available) {
  const unsigned char lead = at[0];
  if (lead < 0x80) return 1;
  size_t length;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) second_min = 0xa0;
    if (lead == 0xed) second_max = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) second_min = 0x90;
    if (lead == 0xf4) second_max = 0x8f;
  } else {
    return 0;
  }
  if (available < length) return 0;
  if (at[1] < second_min || at[1] > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (!is_continuation(at[i])) return 0;
  }
  return length;
}

}  // namespace encoding_detail

/// How many bytes at the start of `bytes` are well-formed UTF-8 (RFC
/// 3629): no overlong forms, no surrogates, nothing above U+10FFFF, no
/// truncated sequence. bytes.size() when all of it is.
inline size_t valid_utf8_prefix(std::string_view bytes) {
  using namespace encoding_detail;
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t at = ascii_prefix_length(bytes);
  while (at < bytes.size()) {
    const size_t length = sequence_length(data + at, bytes.size() - at);
    if (length == 0) return at;
    at += length;
  }
  return at;
}

/// True when `bytes` is well-formed UTF-8 (see valid_utf8_prefix).
inline bool is_valid_utf8(std::string_view bytes) {
  return valid_utf8_prefix(bytes) == bytes.size();
}

/// Appends `bytes` in standard base64 (RFC 4648, section 4) with padding.
inline void append_base64(std::string_view bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t size = bytes.size();
  const size_t start = out.size();
  out.resize(start + (size + 2) / 3 * 4);
  char* text = out.data() + start;

  size_t at = 0;
  for (; at + 3 <= size; at += 3) {
    const uint32_t group = data[at] << 16 | data[at + 1] << 8 | data[at + 2];
    *text++ = kAlphabet[group >> 18];
    *text++ = kAlphabet[(group >> 12) & 0x3f];
    *text++ = kAlphabet[(group >> 6) & 0x3f];
    *text++ = kAlphabet[group & 0x3f];
  }
  const size_t remaining = size - at;
  if (remaining == 0) return;
  const uint32_t group =
      data[at] << 16 | (remaining == 2 ? data[at + 1] << 8 : 0);
  *text++ = kAlphabet[group >> 18];
  *text++ = kAlphabet[(group >> 12) & 0x3f];
  *text++ = remaining == 2 ? kAlphabet[(group >> 6) & 0x3f] : '=';
  *text = '=';
}

}  // namespace rdconnect
