#include "schema/avro_field_path.hpp"

#include <iterator>

#include <fmt/format.h>

#include "schema/avro_json_text.hpp"

namespace rdconnect::schema {
namespace {

// Map keys and values quoted in messages are data: this much of one is shown.
constexpr size_t kMaxTextShown = 64;

}  // namespace

std::string_view shortened(std::string_view text) {
  if (text.size() <= kMaxTextShown) return text;
  size_t cut = kMaxTextShown;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;
  }
  return text.substr(0, cut);
}

std::string shown(std::string_view text) {
  std::string out;
  append_json_string(out, shortened(text));
  if (text.size() > kMaxTextShown) out.insert(out.size() - 1, "...");
  return out;
}

std::string render(const std::vector<PathStep>& path) {
  std::string out;
  for (const PathStep& step : path) {
    switch (step.kind) {
      case PathStep::Kind::field:
        if (!out.empty()) out += '.';
        out += *step.field;
        break;
      case PathStep::Kind::index:
        fmt::format_to(std::back_inserter(out), "[{}]", step.index);
        break;
      case PathStep::Kind::key:
        out += '[';
        out += shown(step.key);
        out += ']';
        break;
    }
  }
  return out;
}

}  // namespace rdconnect::schema
