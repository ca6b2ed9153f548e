// Reading Avro's binary encoding of primitive values from a byte span, every
// length checked against the bytes left before anything is taken.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace rdconnect::schema {

/// Throws DatumFault when the bytes end too soon or do not encode what is
/// asked for.
class AvroReader {
 public:
  explicit AvroReader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  size_t position() const { return at_; }
  size_t left() const { return bytes_.size() - at_; }

  /// A zigzag varint of at most 10 bytes.
  int64_t read_long();
  /// A zigzag varint whose value fits 32 bits.
  int32_t read_int();
  /// One byte, 0 or 1.
  bool read_boolean();
  /// 4 or 8 bytes, little-endian IEEE 754.
  float read_float();
  double read_double();
  /// A long length, then that many bytes (viewed, not copied).
  std::span<const std::byte> read_bytes();
  std::string_view read_string();
  /// `size` bytes (viewed, not copied).
  std::span<const std::byte> read_fixed(size_t size);

 private:
  uint64_t read_little_endian(size_t size);

  std::span<const std::byte> bytes_;
  size_t at_ = 0;
};

}  // namespace rdconnect::schema
