// A port of org.apache.kafka.common.utils.Utils.murmur2. Java's int
// arithmetic wraps, so everything is done on uint32_t and reinterpreted as
// signed only at the end; Java's >>> is the unsigned shift of uint32_t.
#include <cstdint>
#include <string_view>

#include "partition/partitioner.hpp"

namespace rdconnect::partition {
namespace {

constexpr uint32_t kSeed = 0x9747b28c;
constexpr uint32_t kMultiplier = 0x5bd1e995;
constexpr int kShift = 24;

uint32_t byte_at(std::string_view data, size_t index) {
  return static_cast<uint8_t>(data[index]);
}

uint32_t little_endian_word(std::string_view data, size_t offset) {
  return byte_at(data, offset) | byte_at(data, offset + 1) << 8 |
         byte_at(data, offset + 2) << 16 | byte_at(data, offset + 3) << 24;
}

}  // namespace

int32_t murmur2(std::string_view data) {
  // Java's byte[].length is an int; keys never come close to 2^31 bytes.
  const auto length = static_cast<uint32_t>(data.size());
  uint32_t h = kSeed ^ length;

  const size_t body_length = data.size() & ~size_t{3};
  for (size_t offset = 0; offset < body_length; offset += 4) {
    uint32_t k = little_endian_word(data, offset);
    k *= kMultiplier;
    k ^= k >> kShift;
    k *= kMultiplier;
    h *= kMultiplier;
    h ^= k;
  }

  switch (data.size() % 4) {
    case 3:
      h ^= byte_at(data, body_length + 2) << 16;
      [[fallthrough]];
    case 2:
      h ^= byte_at(data, body_length + 1) << 8;
      [[fallthrough]];
    case 1:
      h ^= byte_at(data, body_length);
      h *= kMultiplier;
  }

  h ^= h >> 13;
  h *= kMultiplier;
  h ^= h >> 15;
  return static_cast<int32_t>(h);
}

}  // namespace rdconnect::partition
