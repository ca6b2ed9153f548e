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

// jsonb stores numbers as numeric, whose display scale (digits after the
// point) and decimal weight (position of the leading digit) are bounded.
constexpr int64_t kNumericMaxScale = 16383;
constexpr int64_t kNumericMaxWeight = 131071;
// PostgreSQL parses JSON recursively and refuses a document nested deeper
// than its stack allows (about 10,000 levels with the default 2 MB
// max_stack_depth); well below that, and beyond any sensible document.
constexpr int kMaxNestingDepth = 4096;
// nlohmann's id for a number beyond double's range, which numeric holds.
constexpr int kNumberOverflow = 406;

// Why numeric cannot hold the JSON number `literal`, or nullopt.
std::optional<std::string> numeric_rejection(std::string_view literal) {
  if (literal.starts_with('-')) literal.remove_prefix(1);
  const size_t e = literal.find_first_of("eE");
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view digits = literal.substr(e + 1);
    const bool negative = digits.starts_with('-');
    if (digits.starts_with('-') || digits.starts_with('+')) {
      digits.remove_prefix(1);
    }
    for (char c : digits) {
      // Beyond any bound below already; stop before the value overflows.
      if (exponent > 10 * kNumericMaxWeight) break;
      exponent = exponent * 10 + (c - '0');
    }
    if (negative) exponent = -exponent;
  }
  const std::string_view mantissa = literal.substr(0, e);
  const size_t point = mantissa.find('.');
  const int64_t fraction_digits =
      point == std::string_view::npos
          ? 0
          : static_cast<int64_t>(mantissa.size() - point - 1);
  if (fraction_digits - exponent > kNumericMaxScale) {
    return "a number with more than " + std::to_string(kNumericMaxScale) +
           " digits after the decimal point, which PostgreSQL numeric "
           "cannot hold";
  }
  // The leading digit's position, counted in the digits without the point.
  std::string digits(mantissa);
  if (point != std::string_view::npos) digits.erase(point, 1);
  const size_t leading = digits.find_first_of("123456789");
  if (leading == std::string::npos) return std::nullopt;  // zero
  const int64_t integer_digits = static_cast<int64_t>(
      point == std::string_view::npos ? mantissa.size() : point);
  const int64_t weight =
      integer_digits - 1 - static_cast<int64_t>(leading) + exponent;
  if (weight > kNumericMaxWeight) {
    return "a number with more than " + std::to_string(kNumericMaxWeight + 1) +
           " digits before the decimal point, which PostgreSQL numeric "
           "cannot hold";
  }
  return std::nullopt;
}

// Parses without building a document, and stops at the first thing jsonb
// refuses: a string holding a NUL (the parser has already decoded \u0000
// into one), a number numeric cannot hold, nesting too deep.
class JsonbCompatibility : public nlohmann::json_sax<nlohmann::json> {
 public:
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t& literal) override {
    problem_ = numeric_rejection(literal);
    return !problem_;
  }
  bool string(string_t& value) override { return accept_string(value); }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t& value) override { return accept_string(value); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string& token,
                   const nlohmann::detail::exception& error) override {
    if (error.id == kNumberOverflow) {
      // A number beyond double that numeric may hold, in JSON the parser
      // cannot go past: PostgreSQL decides the rest, and a refusal is
      // isolated to this record.
      problem_ = numeric_rejection(token);
      undecided_ = !problem_;
      return false;
    }
    problem_ = std::string("not valid JSON: ") + error.what();
    return false;
  }

  const std::optional<std::string>& problem() const { return problem_; }
  bool undecided() const { return undecided_; }

 private:
  bool accept_string(const string_t& value) {
    if (value.find('\0') == string_t::npos) return true;
    problem_ = "JSON string holds \\u0000, which PostgreSQL jsonb cannot store";
    return false;
  }

  bool open() {
    if (++depth_ <= kMaxNestingDepth) return true;
    problem_ = "JSON nested deeper than " + std::to_string(kMaxNestingDepth) +
               " levels, more than PostgreSQL parses";
    return false;
  }

  bool close() {
    --depth_;
    return true;
  }

  std::optional<std::string> problem_;
  bool undecided_ = false;
  int depth_ = 0;
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
  if (!accepted && !checker.undecided()) return "not valid JSON";
  return std::nullopt;
}

}  // namespace rdconnect::postgres_sink
