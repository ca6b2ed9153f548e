#include "schema/wire_format.hpp"

#include <fmt/format.h>

namespace rdconnect::schema {
namespace {

constexpr std::byte kMagicByte{0};
constexpr size_t kPrefixBytes = 5;

}  // namespace

std::variant<WireFrame, NotWireFormat> read_wire_frame(
    std::span<const std::byte> bytes) {
  if (bytes.size() < kPrefixBytes) {
    return NotWireFormat{fmt::format(
        "{} byte(s), shorter than the wire format's 5-byte prefix (magic byte "
        "0 and a schema id); was it written by a schema-registry serializer?",
        bytes.size())};
  }
  if (bytes[0] != kMagicByte) {
    return NotWireFormat{fmt::format(
        "the first byte is {:#04x}, not the wire format's magic byte 0x00; "
        "was it written by a schema-registry serializer?",
        std::to_integer<unsigned>(bytes[0]))};
  }
  uint32_t id = 0;
  for (size_t i = 1; i < kPrefixBytes; ++i) {
    id = (id << 8) | std::to_integer<uint32_t>(bytes[i]);
  }
  return WireFrame{static_cast<int32_t>(id), bytes.subspan(kPrefixBytes)};
}

void append_wire_prefix(int32_t schema_id, std::string& out) {
  out.push_back(static_cast<char>(kMagicByte));
  const auto id = static_cast<uint32_t>(schema_id);
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((id >> shift) & 0xff));
  }
}

}  // namespace rdconnect::schema
