#include "partition/key_preview.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace rdconnect::partition {
namespace {

// Enough to recognise a key (a whole UUID fits) without flooding the log.
constexpr size_t kPreviewBytes = 40;

void append_escaped(std::string& out, char c) {
  switch (c) {
    case '"':
      out += "\\\"";
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
  } else {
    out += fmt::format("\\x{:02x}", byte);
  }
}

}  // namespace

std::string key_preview(std::string_view key) {
  std::string out = "\"";
  for (char c : key.substr(0, kPreviewBytes)) append_escaped(out, c);
  out += '"';
  if (key.size() > kPreviewBytes) out += "...";
  return out;
}

}  // namespace rdconnect::partition
