#include "json_line.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

#include <rdconnect/encoding.hpp>

namespace jsonl_sink {
namespace {

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
  if (!rdconnect::is_valid_utf8(record.key().view())) return "key";
  if (!rdconnect::is_valid_utf8(record.value().view())) return "value";

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
