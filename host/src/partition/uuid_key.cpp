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

// Marks a byte that is not a hex digit in kNibbleValue.
constexpr uint8_t kNotHex = 0xff;

// Each byte's value as a hex digit: one table load per character instead of
// three range checks, since this runs for every record a source produces.
constexpr std::array<uint8_t, 256> kNibbleValue = [] {
  std::array<uint8_t, 256> table{};
  table.fill(kNotHex);
  for (int c = '0'; c <= '9'; ++c) table[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c)
    table[c] = static_cast<uint8_t>(c - 'a' + 10);
  for (int c = 'A'; c <= 'F'; ++c)
    table[c] = static_cast<uint8_t>(c - 'A' + 10);
  return table;
}();

// Where each byte's two hex digits start in the 8-4-4-4-12 text form.
constexpr std::array<uint8_t, kUuidBytes> kByteTextPositions = {
    0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

std::optional<UuidBytes> parse_uuid_text(std::string_view text) {
  for (size_t dash : kDashPositions) {
    if (text[dash] != '-') return std::nullopt;
  }
  UuidBytes bytes;
  uint8_t invalid = 0;
  for (size_t i = 0; i < kUuidBytes; ++i) {
    const size_t at = kByteTextPositions[i];
    const uint8_t high = kNibbleValue[static_cast<unsigned char>(text[at])];
    const uint8_t low = kNibbleValue[static_cast<unsigned char>(text[at + 1])];
    // kNotHex has the high bits set that no nibble has.
    invalid |= static_cast<uint8_t>(high | low);
    bytes[i] = static_cast<uint8_t>(high << 4 | (low & 0x0f));
  }
  if (invalid & 0xf0) return std::nullopt;
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
  // Horner's rule 32 bits at a time: the remainder stays below n < 2^31, so
  // remainder * 2^32 + word stays below 2^63 and four 64-bit divisions do
  // what 128-bit arithmetic would.
  const auto modulus = static_cast<uint64_t>(n);
  uint64_t remainder = 0;
  for (size_t i = 0; i < kUuidBytes; i += 4) {
    const uint64_t word = uint64_t{uuid[i]} << 24 |
                          uint64_t{uuid[i + 1]} << 16 |
                          uint64_t{uuid[i + 2]} << 8 | uuid[i + 3];
    remainder = (remainder << 32 | word) % modulus;
  }
  return static_cast<int32_t>(remainder);
}

}  // namespace rdconnect::partition
