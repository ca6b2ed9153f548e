#include "json_line.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "encoding.hpp"

namespace rdconnect::log_sink {
namespace {

// How a byte appears inside a JSON string: itself (length 1) or an escape.
struct Escaped {
  uint8_t length = 1;
  std::array<char, 6> text{};
};

// The short escapes JSON has, and \u00XX for the other control characters:
// the same output as nlohmann::json::dump and Python's json.dumps.
constexpr std::array<Escaped, 256> make_escape_table() {
  constexpr char kHex[] = "0123456789abcdef";
  std::array<Escaped, 256> table{};
  for (size_t byte = 0; byte < table.size(); ++byte) {
    table[byte].text[0] = static_cast<char>(byte);
  }
  for (size_t byte = 0; byte < 0x20; ++byte) {
    table[byte] = {6, {'\\', 'u', '0', '0', kHex[byte >> 4], kHex[byte & 0xf]}};
  }
  table['"'] = {2, {'\\', '"'}};
  table['\\'] = {2, {'\\', '\\'}};
  table['\b'] = {2, {'\\', 'b'}};
  table['\f'] = {2, {'\\', 'f'}};
  table['\n'] = {2, {'\\', 'n'}};
  table['\r'] = {2, {'\\', 'r'}};
  table['\t'] = {2, {'\\', 't'}};
  return table;
}

constexpr std::array<Escaped, 256> kEscaped = make_escape_table();

// `text` must be valid UTF-8; multi-byte sequences are copied as they are.
// Sized first, then written through a pointer, so that the loop over every
// byte of every record does no capacity checks.
void append_json_string(std::string_view text, std::string& out) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t escaped_size = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    escaped_size += kEscaped[bytes[at]].length;
  }
  const size_t start = out.size();
  out.resize(start + escaped_size + 2);
  char* write = out.data() + start;
  *write++ = '"';
  for (size_t at = 0; at < text.size(); ++at) {
    const Escaped& escaped = kEscaped[bytes[at]];
    if (escaped.length == 1) {
      *write++ = escaped.text[0];
    } else {
      std::memcpy(write, escaped.text.data(), escaped.length);
      write += escaped.length;
    }
  }
  *write = '"';
}

// "name":"text", "name":null, or "name_b64":"base64" for bytes that are not
// UTF-8 text.
void append_bytes_field(std::string_view name, const Bytes& bytes,
                        std::string& out) {
  out.push_back('"');
  out.append(name);
  if (bytes.null()) {
    out.append("\":null");
  } else if (is_valid_utf8(bytes.view())) {
    out.append("\":");
    append_json_string(bytes.view(), out);
  } else {
    out.append("_b64\":\"");
    append_base64(bytes.view(), out);
    out.push_back('"');
  }
}

void append_header(const rdc_header& header, std::string& out) {
  out.push_back('{');
  const std::string_view name = header.name;
  append_bytes_field("key", Bytes({name.data(), name.size()}), out);
  out.push_back(',');
  append_bytes_field("value", Bytes(header.value), out);
  out.push_back('}');
}

}  // namespace

void append_json_line(const Record& record, std::string& out) {
  out.append("{\"topic\":");
  append_json_string(record.topic(), out);
  out.append(",\"partition\":");
  append_decimal(record.partition(), out);
  out.append(",\"offset\":");
  append_decimal(record.offset(), out);
  out.append(",\"timestamp\":");
  if (record.timestamp_ms() < 0) {
    out.append("null");
  } else {
    append_decimal(record.timestamp_ms(), out);
  }
  out.push_back(',');
  append_bytes_field("key", record.key(), out);
  out.push_back(',');
  append_bytes_field("value", record.value(), out);
  out.append(",\"headers\":[");
  bool first = true;
  for (const rdc_header& header : record.headers()) {
    if (!first) out.push_back(',');
    first = false;
    append_header(header, out);
  }
  out.append("]}\n");
}

}  // namespace rdconnect::log_sink
