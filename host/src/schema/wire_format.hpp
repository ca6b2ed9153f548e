// The Confluent wire format of a schema-registry record: magic byte 0, the
// schema id as a 4-byte big-endian integer, then the payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>

namespace rdconnect::schema {

struct WireFrame {
  int32_t schema_id = 0;
  std::span<const std::byte> payload;
};

/// Why bytes are not in the wire format, for a per-record error.
struct NotWireFormat {
  std::string reason;
};

/// The frame of `bytes` (which it views), or why it is not one.
std::variant<WireFrame, NotWireFormat> read_wire_frame(
    std::span<const std::byte> bytes);

/// Appends the wire format's prefix for `schema_id` to `out`.
void append_wire_prefix(int32_t schema_id, std::string& out);

}  // namespace rdconnect::schema
