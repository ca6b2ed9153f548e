#include "schema/avro_json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

#include <rdconnect/encoding.hpp>

namespace rdconnect::schema {
namespace {

// Long enough for any double, float or int64 to_chars() writes.
constexpr size_t kNumberChars = 32;

template <typename Number>
void append_chars(std::string& out, Number value) {
  std::array<char, kNumberChars> buffer;
  const auto [end, error] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

template <typename Floating>
void append_floating(std::string& out, Floating value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    append_chars(out, value);
  }
}

// How a byte of a JSON string is written: 0 as it is, else the letter after
// the backslash ('u' for \u00XX).
constexpr std::array<char, 256> kEscapes = [] {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}();

void append_escape(std::string& out, unsigned char byte) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char letter = kEscapes[byte];
  out += '\\';
  out += letter;
  if (letter == 'u') {
    out += "00";
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0f];
  }
}

}  // namespace

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  const size_t valid = valid_utf8_prefix(text);
  if (valid == text.size()) return std::nullopt;
  return valid;
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  // Runs of bytes that need no escape are appended whole.
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (kEscapes[byte] == 0) continue;
    out.append(text, run_start, i - run_start);
    append_escape(out, byte);
    run_start = i + 1;
  }
  out.append(text, run_start);
  out += '"';
}

void append_json_number(std::string& out, double value) {
  append_floating(out, value);
}

void append_json_number(std::string& out, float value) {
  append_floating(out, value);
}

void append_json_number(std::string& out, int64_t value) {
  append_chars(out, value);
}

void append_base64(std::string& out, std::span<const std::byte> bytes) {
  out += '"';
  rdconnect::append_base64(
      {reinterpret_cast<const char*>(bytes.data()), bytes.size()}, out);
  out += '"';
}

}  // namespace rdconnect::schema
