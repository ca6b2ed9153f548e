#include "record_checks.hpp"

#include <cstdint>

#include <nlohmann/json.hpp>

namespace rdconnect::postgres_sink {
namespace {

// Length of the UTF-8 sequence starting at text[at], or 0 when it is not a
// well-formed one (overlong forms, surrogates and values above U+10FFFF
// included).
size_t utf8_sequence_length(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  auto continuation = [&](size_t i) {
    return i < text.size() && (byte(i) & 0xC0) == 0x80;
  };
  const uint8_t lead = byte(at);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(at + 1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(at + 1) || !continuation(at + 2)) return 0;
    const uint8_t second = byte(at + 1);
    if (lead == 0xE0 && second < 0xA0) return 0;
    if (lead == 0xED && second >= 0xA0) return 0;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(at + 1) || !continuation(at + 2) ||
        !continuation(at + 3)) {
      return 0;
    }
    const uint8_t second = byte(at + 1);
    if (lead == 0xF0 && second < 0x90) return 0;
    if (lead == 0xF4 && second >= 0x90) return 0;
    return 4;
  }
  return 0;
}

// Parses without building a document, and stops at the first string that
// holds a NUL (the parser has already decoded \u0000 into one).
class JsonbCompatibility : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t& value) override { return accept_string(value); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t& value) override { return accept_string(value); }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    problem_ = std::string("not valid JSON: ") + error.what();
    return false;
  }

  const std::optional<std::string>& problem() const { return problem_; }

 private:
  bool accept_string(const string_t& value) {
    if (value.find('\0') == string_t::npos) return true;
    problem_ = "JSON string holds \\u0000, which PostgreSQL jsonb cannot store";
    return false;
  }

  std::optional<std::string> problem_;
};

}  // namespace

std::optional<std::string> text_rejection(std::string_view text) {
  for (size_t at = 0; at < text.size();) {
    if (text[at] == '\0') return "contains a NUL byte";
    const size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      return "is not valid UTF-8 (byte " + std::to_string(at) + ")";
    }
    at += length;
  }
  return std::nullopt;
}

std::optional<std::string> jsonb_rejection(std::string_view json) {
  JsonbCompatibility checker;
  const bool accepted = nlohmann::json::sax_parse(json, &checker);
  if (checker.problem()) return checker.problem();
  if (!accepted) return "not valid JSON";
  return std::nullopt;
}

}  // namespace rdconnect::postgres_sink
