// Short, escaped renderings of outside bytes (record keys, database errors
// that quote a record) for logs and error messages: a log line never
// carries a whole record, nor a raw control byte. Header-only, for the host
// and plugins alike.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace rdconnect {
namespace excerpt_detail {

inline void append_escaped(std::string& out, char c, bool quoted) {
  switch (c) {
    case '"':
      out += quoted ? "\\\"" : "\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
  }
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) {
    out += c;
    return;
  }
  char hex[5];
  std::snprintf(hex, sizeof hex, "\\x%02x", byte);
  out += hex;
}

inline std::string escaped(std::string_view text, bool quoted) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) append_escaped(out, c, quoted);
  return out;
}

}  // namespace excerpt_detail

/// The first `max_bytes` of `text` as a double-quoted C-style string:
/// printable ASCII as is, '"' and '\\' escaped, \n \r \t by name, any other
/// byte as \xNN; "..." follows the quotes when `text` is longer.
inline std::string quoted_excerpt(std::string_view text, size_t max_bytes) {
  std::string out =
      "\"" + excerpt_detail::escaped(text.substr(0, max_bytes), true) + "\"";
  if (text.size() > max_bytes) out += "...";
  return out;
}

/// `text` escaped as quoted_excerpt does but without quotes (and '"' left
/// as it is), cut after
/// `max_bytes` input bytes with "... (N bytes in all)".
inline std::string message_excerpt(std::string_view text,
                                   size_t max_bytes = 300) {
  std::string out = excerpt_detail::escaped(text.substr(0, max_bytes), false);
  if (text.size() > max_bytes) {
    out += "... (" + std::to_string(text.size()) + " bytes in all)";
  }
  return out;
}

}  // namespace rdconnect
