#include "uuid_v4.hpp"

#include <array>

namespace rdconnect::uuid_source {
namespace {

using HexPair = std::array<char, 2>;

constexpr std::array<HexPair, 256> make_hex_table() {
  constexpr char kDigits[] = "0123456789abcdef";
  std::array<HexPair, 256> table{};
  for (size_t byte = 0; byte < table.size(); ++byte) {
    table[byte] = {kDigits[byte >> 4], kDigits[byte & 0x0f]};
  }
  return table;
}

// One lookup per byte instead of two shifts, masks and branches per digit:
// the source formats a UUID for every record it produces.
constexpr std::array<HexPair, 256> kHexTable = make_hex_table();

// Bits 48-51 of the UUID hold the version, bits 64-65 the variant.
constexpr uint64_t kVersionMask = 0xffffffffffff0fffULL;
constexpr uint64_t kVersion4 = 0x0000000000004000ULL;
constexpr uint64_t kVariantMask = 0x3fffffffffffffffULL;
constexpr uint64_t kVariantRfc = 0x8000000000000000ULL;

// Where the two hex digits of each of the 16 bytes go in the text.
constexpr std::array<size_t, 16> kBytePositions = {
    0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

}  // namespace

UuidText format_uuid_v4(uint64_t high, uint64_t low) {
  const uint64_t halves[] = {(high & kVersionMask) | kVersion4,
                             (low & kVariantMask) | kVariantRfc};
  UuidText text{};
  for (const size_t dash : {8, 13, 18, 23}) text.chars[dash] = '-';
  for (size_t byte = 0; byte < kBytePositions.size(); ++byte) {
    const uint64_t half = halves[byte / 8];
    const HexPair& digits = kHexTable[(half >> (56 - 8 * (byte % 8))) & 0xff];
    text.chars[kBytePositions[byte]] = digits[0];
    text.chars[kBytePositions[byte] + 1] = digits[1];
  }
  return text;
}

}  // namespace rdconnect::uuid_source
