#include "json_line.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace jsonl_sink {
namespace {

// Length of the well-formed UTF-8 sequence at text[at], or 0 if there is
// none. Rejects what RFC 3629 forbids: overlong forms, surrogates
// (U+D800..DFFF) and code points above U+10FFFF.
size_t utf8_sequence_length(std::string_view text, size_t at) {
  const auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[at + i]);
  };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char low = 0x80;  // range of the second byte
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (text.size() - at < length) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
  }
  return length;
}

bool is_valid_utf8(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    const size_t length = utf8_sequence_length(text, at);
    if (length == 0) return false;
    at += length;
  }
  return true;
}

// `text` is valid UTF-8: multi-byte sequences are copied as they are, and
// only '"', '\\' and control characters need escaping.
void append_json_string(std::string_view text, std::string& out) {
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escape[7];
          std::snprintf(escape, sizeof escape, "\\u%04x", c);
          out.append(escape);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

void append_bytes(const rdconnect::Bytes& bytes, std::string& out) {
  if (bytes.null()) {
    out.append("null");
  } else {
    append_json_string(bytes.view(), out);
  }
}

}  // namespace

std::optional<std::string> append_json_line(const rdconnect::Record& record,
                                            std::string& out) {
  // Checked before anything is appended, so a refused record leaves no
  // half line behind.
  if (!is_valid_utf8(record.key().view())) return "key";
  if (!is_valid_utf8(record.value().view())) return "value";

  out.append("{\"topic\":");
  append_json_string(record.topic(), out);
  out.append(",\"partition\":").append(std::to_string(record.partition()));
  out.append(",\"offset\":").append(std::to_string(record.offset()));
  out.append(",\"timestamp\":");
  out.append(record.timestamp_ms() < 0 ? "null"
                                       : std::to_string(record.timestamp_ms()));
  out.append(",\"key\":");
  append_bytes(record.key(), out);
  out.append(",\"value\":");
  append_bytes(record.value(), out);
  out.append("}\n");
  return std::nullopt;
}

}  // namespace jsonl_sink
