// Reading a UUID out of a record key, and the UUID's value modulo n.
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "partition/partitioner.hpp"

namespace rdconnect::partition {
namespace {

constexpr size_t kUuidBytes = 16;
constexpr size_t kUuidTextLength = 36;
constexpr std::array<size_t, 4> kDashPositions = {8, 13, 18, 23};

using UuidBytes = std::array<uint8_t, kUuidBytes>;

std::optional<uint8_t> hex_digit_value(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<uint8_t>(c - 'A' + 10);
  return std::nullopt;
}

bool is_dash_position(size_t index) {
  for (size_t dash : kDashPositions) {
    if (index == dash) return true;
  }
  return false;
}

std::optional<UuidBytes> parse_uuid_text(std::string_view text) {
  UuidBytes bytes{};
  size_t nibble_count = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return std::nullopt;
      continue;
    }
    const std::optional<uint8_t> nibble = hex_digit_value(text[i]);
    if (!nibble) return std::nullopt;
    const size_t byte_index = nibble_count / 2;
    const bool high_nibble = nibble_count % 2 == 0;
    bytes[byte_index] |= high_nibble ? *nibble << 4 : *nibble;
    ++nibble_count;
  }
  return bytes;
}

UuidBytes copy_raw_bytes(std::string_view raw) {
  UuidBytes bytes{};
  for (size_t i = 0; i < kUuidBytes; ++i) {
    bytes[i] = static_cast<uint8_t>(raw[i]);
  }
  return bytes;
}

}  // namespace

std::optional<std::array<uint8_t, 16>> parse_uuid_key(std::string_view key) {
  if (key.size() == kUuidTextLength) return parse_uuid_text(key);
  if (key.size() == kUuidBytes) return copy_raw_bytes(key);
  return std::nullopt;
}

int32_t uuid_mod(const std::array<uint8_t, 16>& uuid, int32_t n) {
  if (n <= 0) {
    throw std::invalid_argument("uuid_mod: modulus must be positive, got " +
                                std::to_string(n));
  }
  // Horner's rule one byte at a time: the remainder stays below n < 2^31,
  // so remainder * 256 + byte fits easily in 64 bits and no 128-bit
  // arithmetic is needed.
  const auto modulus = static_cast<uint64_t>(n);
  uint64_t remainder = 0;
  for (uint8_t byte : uuid) {
    remainder = (remainder * 256 + byte) % modulus;
  }
  return static_cast<int32_t>(remainder);
}

}  // namespace rdconnect::partition
