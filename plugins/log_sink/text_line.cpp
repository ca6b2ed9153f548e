#include "text_line.hpp"

#include <cstdint>
#include <string_view>

#include "encoding.hpp"

namespace rdconnect::log_sink {
namespace {

bool is_printable(unsigned char byte) {
  return byte >= 0x20 && byte < 0x7f && byte != '\\';
}

void append_escaped(std::string_view bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (is_printable(byte)) {
      out.push_back(c);
    } else if (byte == '\\') {
      out.append("\\\\");
    } else {
      const char escape[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0x0f]};
      out.append(escape, sizeof escape);
    }
  }
}

void append_bytes(const Bytes& bytes, std::string& out) {
  if (bytes.null()) {
    out.append("null");
  } else {
    append_escaped(bytes.view(), out);
  }
}

}  // namespace

void append_text_line(const Record& record, std::string& out) {
  append_escaped(record.topic(), out);
  out.push_back('[');
  append_decimal(record.partition(), out);
  out.append("]@");
  append_decimal(record.offset(), out);
  out.append(" key=");
  append_bytes(record.key(), out);
  out.append(" value=");
  append_bytes(record.value(), out);
  out.push_back('\n');
}

}  // namespace rdconnect::log_sink
