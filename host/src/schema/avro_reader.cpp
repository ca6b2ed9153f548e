#include "schema/avro_reader.hpp"

#include <bit>
#include <limits>

#include <fmt/format.h>

#include "schema/avro_datum_fault.hpp"

namespace rdconnect::schema {
namespace {

// 64 bits in groups of 7: the tenth byte holds the top bit only.
constexpr int kLastVarintShift = 63;

}  // namespace

int64_t AvroReader::read_long() {
  uint64_t zigzag = 0;
  for (int shift = 0;; shift += 7) {
    if (at_ == bytes_.size()) {
      throw DatumFault("truncated: the data ends inside a number");
    }
    const auto byte = std::to_integer<uint64_t>(bytes_[at_++]);
    if (shift == kLastVarintShift && byte > 1) {
      throw DatumFault("a number's varint is longer than 64 bits");
    }
    zigzag |= (byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  // Unsigned arithmetic, then the two's-complement conversion C++20
  // defines: no step can overflow.
  return static_cast<int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
}

int32_t AvroReader::read_int() {
  const int64_t value = read_long();
  if (value < std::numeric_limits<int32_t>::min() ||
      value > std::numeric_limits<int32_t>::max()) {
    throw DatumFault(
        fmt::format("an int's varint holds {}, beyond 32 bits", value));
  }
  return static_cast<int32_t>(value);
}

bool AvroReader::read_boolean() {
  const std::span<const std::byte> byte = read_fixed(1);
  const auto value = std::to_integer<unsigned>(byte[0]);
  if (value > 1) {
    throw DatumFault(fmt::format("a boolean's byte is {}, not 0 or 1", value));
  }
  return value == 1;
}

float AvroReader::read_float() {
  return std::bit_cast<float>(static_cast<uint32_t>(read_little_endian(4)));
}

double AvroReader::read_double() {
  return std::bit_cast<double>(read_little_endian(8));
}

std::span<const std::byte> AvroReader::read_bytes() {
  const int64_t length = read_long();
  if (length < 0) throw DatumFault(fmt::format("negative length {}", length));
  // Compared before anything is sized by it: a hostile length is just a
  // number here.
  if (static_cast<uint64_t>(length) > left()) {
    throw DatumFault(fmt::format("truncated: a length of {} byte(s), {} left",
                                 length, left()));
  }
  return read_fixed(static_cast<size_t>(length));
}

std::string_view AvroReader::read_string() {
  const std::span<const std::byte> bytes = read_bytes();
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::span<const std::byte> AvroReader::read_fixed(size_t size) {
  if (size > left()) {
    throw DatumFault(
        fmt::format("truncated: needs {} byte(s), {} left", size, left()));
  }
  const std::span<const std::byte> taken = bytes_.subspan(at_, size);
  at_ += size;
  return taken;
}

uint64_t AvroReader::read_little_endian(size_t size) {
  const std::span<const std::byte> bytes = read_fixed(size);
  uint64_t value = 0;
  for (size_t i = 0; i < size; ++i) {
    value |= std::to_integer<uint64_t>(bytes[i]) << (8 * i);
  }
  return value;
}

}  // namespace rdconnect::schema
