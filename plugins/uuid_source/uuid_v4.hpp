// Formatting random bits as a version 4 UUID (RFC 9562, section 5.4).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace rdconnect::uuid_source {

/// Length of a UUID in its canonical text form.
inline constexpr size_t kUuidTextLength = 36;

/// The canonical lowercase text ("xxxxxxxx-xxxx-4xxx-Yxxx-xxxxxxxxxxxx") of
/// the UUIDv4 made of these 128 bits, most significant first. The six version
/// and variant bits are overwritten, so any 128 random bits make a valid
/// UUIDv4.
/// Held by value, not in a std::string: the source makes one for every
/// record, and 36 characters are past std::string's inline capacity.
struct UuidText {
  std::array<char, kUuidTextLength> chars;
  std::string_view view() const { return {chars.data(), chars.size()}; }
};

UuidText format_uuid_v4(uint64_t high, uint64_t low);

}  // namespace rdconnect::uuid_source
