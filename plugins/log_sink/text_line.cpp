#include "text_line.hpp"

#include <cstdint>
#include <string_view>

#include "encoding.hpp"

namespace rdconnect::log_sink {
namespace {

bool is_printable(unsigned char byte) {
  return byte >= 0x20 && byte < 0x7f && byte != '\\';
}

// Copies each run of printable bytes with one append: most values are plain
// text, and a push_back per byte was a sixth of the sink's CPU.
void append_escaped(std::string_view bytes, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* run = bytes.data();
  const char* const end = run + bytes.size();
  for (const char* p = run; p != end; ++p) {
    const auto byte = static_cast<unsigned char>(*p);
    if (is_printable(byte)) continue;
    out.append(run, p);
    if (byte == '\\') {
      out.append("\\\\");
    } else {
      const char escape[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0x0f]};
      out.append(escape, sizeof escape);
    }
    run = p + 1;
  }
  out.append(run, end);
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
