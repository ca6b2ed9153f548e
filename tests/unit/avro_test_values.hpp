// Avro test data for the decoder's and the encoder's tests: bytes written
// by hand (varints, length-prefixed strings) and values written by avro-c's
// own generic writer, the reference implementation.
#pragma once

#include <avro.h>
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "schema/avro_schema.hpp"

namespace rdconnect::schema::avro_test {

using Bytes = std::vector<std::byte>;

inline Bytes raw(std::initializer_list<unsigned> values) {
  Bytes out;
  for (unsigned value : values) out.push_back(static_cast<std::byte>(value));
  return out;
}

// Avro's zigzag varint of `value`.
inline Bytes varint(int64_t value) {
  uint64_t zigzag =
      (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63);
  Bytes out;
  while (zigzag >= 0x80) {
    out.push_back(static_cast<std::byte>((zigzag & 0x7f) | 0x80));
    zigzag >>= 7;
  }
  out.push_back(static_cast<std::byte>(zigzag));
  return out;
}

// A string or bytes value: its length, then the bytes.
inline Bytes text(std::string_view value) {
  Bytes out = varint(static_cast<int64_t>(value.size()));
  for (char c : value) out.push_back(static_cast<std::byte>(c));
  return out;
}

inline Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts)
    out.insert(out.end(), part.begin(), part.end());
  return out;
}

// A value of `schema` built with avro-c's generic interface.
class GenericValue {
 public:
  explicit GenericValue(const AvroSchema& schema)
      : iface_(avro_generic_class_from_schema(schema.avro())) {
    EXPECT_NE(iface_, nullptr) << avro_strerror();
    EXPECT_EQ(avro_generic_value_new(iface_, &value_), 0) << avro_strerror();
  }
  ~GenericValue() {
    avro_value_decref(&value_);
    avro_value_iface_decref(iface_);
  }
  GenericValue(const GenericValue&) = delete;
  GenericValue& operator=(const GenericValue&) = delete;

  avro_value_t* get() { return &value_; }

  Bytes encode() {
    std::vector<char> buffer(1 << 16);
    avro_writer_t writer =
        avro_writer_memory(buffer.data(), static_cast<int64_t>(buffer.size()));
    EXPECT_EQ(avro_value_write(writer, &value_), 0) << avro_strerror();
    const auto size = static_cast<size_t>(avro_writer_tell(writer));
    avro_writer_free(writer);
    Bytes out(size);
    std::memcpy(out.data(), buffer.data(), size);
    return out;
  }

 private:
  avro_value_iface_t* iface_;
  avro_value_t value_;
};

inline avro_value_t field(avro_value_t* record, const char* name) {
  avro_value_t child;
  EXPECT_EQ(avro_value_get_by_name(record, name, &child, nullptr), 0)
      << name << ": " << avro_strerror();
  return child;
}

inline avro_value_t branch(avro_value_t* value, int discriminant) {
  avro_value_t chosen;
  EXPECT_EQ(avro_value_set_branch(value, discriminant, &chosen), 0)
      << avro_strerror();
  return chosen;
}

inline avro_value_t appended(avro_value_t* array) {
  avro_value_t item;
  EXPECT_EQ(avro_value_append(array, &item, nullptr), 0) << avro_strerror();
  return item;
}

}  // namespace rdconnect::schema::avro_test
