// MurmurHash3_x86_32 (Austin Appleby's reference, public domain), the hash
// behind Python's mmh3.hash. Blocks are read little-endian byte by byte so
// the result does not depend on the host's endianness or alignment.
#include <cstdint>
#include <string_view>

#include "partition/partitioner.hpp"

namespace rdconnect::partition {
namespace {

constexpr uint32_t kC1 = 0xcc9e2d51;
constexpr uint32_t kC2 = 0x1b873593;

uint32_t rotate_left(uint32_t value, int bits) {
  return (value << bits) | (value >> (32 - bits));
}

uint32_t byte_at(std::string_view data, size_t index) {
  return static_cast<uint8_t>(data[index]);
}

uint32_t little_endian_word(std::string_view data, size_t offset) {
  return byte_at(data, offset) | byte_at(data, offset + 1) << 8 |
         byte_at(data, offset + 2) << 16 | byte_at(data, offset + 3) << 24;
}

uint32_t scramble(uint32_t k) {
  k *= kC1;
  k = rotate_left(k, 15);
  return k * kC2;
}

uint32_t final_mix(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

}  // namespace

int32_t murmur3_32(std::string_view data, uint32_t seed) {
  uint32_t h = seed;

  const size_t body_length = data.size() & ~size_t{3};
  for (size_t offset = 0; offset < body_length; offset += 4) {
    h ^= scramble(little_endian_word(data, offset));
    h = rotate_left(h, 13);
    h = h * 5 + 0xe6546b64;
  }

  uint32_t tail = 0;
  switch (data.size() % 4) {
    case 3:
      tail ^= byte_at(data, body_length + 2) << 16;
      [[fallthrough]];
    case 2:
      tail ^= byte_at(data, body_length + 1) << 8;
      [[fallthrough]];
    case 1:
      tail ^= byte_at(data, body_length);
      h ^= scramble(tail);
  }

  // The reference mixes in the length as a 32-bit int.
  h ^= static_cast<uint32_t>(data.size());
  return static_cast<int32_t>(final_mix(h));
}

}  // namespace rdconnect::partition
