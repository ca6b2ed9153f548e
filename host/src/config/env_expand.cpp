#include "config/env_expand.hpp"

#include <cstdlib>

#include <fmt/format.h>

namespace rdconnect::config {
namespace {

constexpr std::string_view kEscapedOpen = "$${";
constexpr std::string_view kOpen = "${";
constexpr std::string_view kEnvPrefix = "env:";
constexpr std::string_view kDefaultSeparator = ":-";

bool is_valid_variable_name(std::string_view name) {
  if (name.empty() || (name.front() >= '0' && name.front() <= '9')) {
    return false;
  }
  for (char c : name) {
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !digit && c != '_') return false;
  }
  return true;
}

/// Recursive descent over one string. Errors never quote the string: it may
/// be a secret (a password holding "${" is the usual case), and which keys
/// are secret is not known here. They give the position instead; the one
/// piece of text they name is a well-formed variable name, which is the
/// operator's reference rather than a value.
///
/// A default may hold references of its own, so parsing a default is the
/// same as parsing the top level, except that it stops at the '}' closing the
/// enclosing reference.
class Expander {
 public:
  Expander(std::string_view text, const EnvLookup& lookup)
      : text_(text), lookup_(lookup) {}

  std::string expand() {
    return parse_text(/*inside_reference=*/false, /*evaluate=*/true);
  }

 private:
  /// `evaluate` is false while parsing a default that is not used: its
  /// syntax is still checked, but its variables are not looked up, so an
  /// unset variable in an unused default is no error.
  std::string parse_text(bool inside_reference, bool evaluate) {
    std::string out;
    while (pos_ < text_.size()) {
      const std::string_view rest = text_.substr(pos_);
      if (rest.starts_with(kEscapedOpen)) {
        out += kOpen;
        pos_ += kEscapedOpen.size();
      } else if (rest.starts_with(kOpen)) {
        out += parse_reference(evaluate);
      } else if (inside_reference && rest.front() == '}') {
        return out;
      } else {
        out += rest.front();
        ++pos_;
      }
    }
    return out;
  }

  std::string parse_reference(bool evaluate) {
    const size_t start = pos_;
    pos_ += kOpen.size();
    if (!text_.substr(pos_).starts_with(kEnvPrefix)) {
      throw EnvExpandError(
          fmt::format("unknown reference at character {}; only ${{env:NAME}} "
                      "and ${{env:NAME:-default}} are supported (write $${{ "
                      "for a literal ${{)",
                      start + 1));
    }
    pos_ += kEnvPrefix.size();

    const std::string name = parse_variable_name(start);
    const std::optional<std::string> value =
        evaluate ? lookup_(name) : std::nullopt;
    const bool value_usable = value.has_value() && !value->empty();

    std::optional<std::string> fallback;
    if (text_.substr(pos_).starts_with(kDefaultSeparator)) {
      pos_ += kDefaultSeparator.size();
      fallback =
          parse_text(/*inside_reference=*/true, evaluate && !value_usable);
    }
    if (pos_ >= text_.size()) throw unterminated(start);
    ++pos_;  // the closing '}'

    if (!evaluate) return {};
    if (value_usable) return *value;
    if (fallback.has_value()) return *fallback;
    if (value.has_value()) return {};  // set but empty, no default
    throw EnvExpandError(
        fmt::format("environment variable {0} is not set; set it or write "
                    "${{env:{0}:-default}}",
                    name));
  }

  std::string parse_variable_name(size_t reference_start) {
    const size_t name_start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '}' &&
           !text_.substr(pos_).starts_with(kDefaultSeparator)) {
      ++pos_;
    }
    if (pos_ >= text_.size()) throw unterminated(reference_start);
    const std::string_view name = text_.substr(name_start, pos_ - name_start);
    if (!is_valid_variable_name(name)) {
      throw EnvExpandError(fmt::format(
          "invalid environment variable name in the reference at character "
          "{}; a name is letters, digits and '_', not starting with a digit "
          "(write ':-' before a default)",
          reference_start + 1));
    }
    return std::string(name);
  }

  EnvExpandError unterminated(size_t start) const {
    return EnvExpandError(fmt::format(
        "unterminated reference at character {}; close it with '}}' (write "
        "$${{ for a literal ${{)",
        start + 1));
  }

  std::string_view text_;
  const EnvLookup& lookup_;
  size_t pos_ = 0;
};

}  // namespace

std::string expand_env(std::string_view text, const EnvLookup& lookup) {
  return Expander(text, lookup).expand();
}

std::optional<std::string> lookup_process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace rdconnect::config
