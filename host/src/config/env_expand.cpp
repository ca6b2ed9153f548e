#include "config/env_expand.hpp"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>

#include "common/whole_file.hpp"

namespace rdconnect::config {
namespace {

constexpr std::string_view kEscapedOpen = "$${";
constexpr std::string_view kOpen = "${";
constexpr std::string_view kEnvPrefix = "env:";
constexpr std::string_view kFilePrefix = "file:";
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

/// The whole contents of `path`; `reference_start` locates the reference in
/// messages. The message says which file and why, never what it holds.
std::string read_referenced_file(const std::filesystem::path& path,
                                 size_t reference_start) {
  try {
    return read_whole_file(path);
  } catch (const std::system_error& error) {
    throw EnvExpandError(fmt::format(
        "cannot read file {} (the reference at character {}): {}",
        path.string(), reference_start + 1, error.code().message()));
  }
}

/// Editors and `echo` end a file with a newline that is no part of the
/// password; only one goes, so that a value may still end in a newline.
std::string without_trailing_newline(std::string contents) {
  if (contents.ends_with("\r\n")) {
    contents.resize(contents.size() - 2);
  } else if (contents.ends_with('\n')) {
    contents.pop_back();
  }
  return contents;
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
///
/// Without a config directory ${file:...} is unknown, as it was before
/// files could be read.
class Expander {
 public:
  Expander(std::string_view text, const EnvLookup& lookup,
           std::optional<std::filesystem::path> config_directory)
      : text_(text),
        lookup_(lookup),
        config_directory_(std::move(config_directory)) {}

  ExpandedValue expand() {
    std::string text =
        parse_text(/*inside_reference=*/false, /*evaluate=*/true);
    return ExpandedValue{std::move(text), read_a_file_};
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
    const std::string_view rest = text_.substr(pos_);
    if (rest.starts_with(kEnvPrefix)) {
      pos_ += kEnvPrefix.size();
      return parse_env_reference(start, evaluate);
    }
    if (config_directory_.has_value() && rest.starts_with(kFilePrefix)) {
      pos_ += kFilePrefix.size();
      return parse_file_reference(start, evaluate);
    }
    throw EnvExpandError(fmt::format(
        "unknown reference at character {}; only {} are supported (write "
        "$${{ for a literal ${{)",
        start + 1,
        config_directory_.has_value()
            ? "${env:NAME}, ${env:NAME:-default} and ${file:PATH}"
            : "${env:NAME} and ${env:NAME:-default}"));
  }

  /// After "${env:" of the reference at `start`.
  std::string parse_env_reference(size_t start, bool evaluate) {
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

  /// After "${file:" of the reference at `start`. The path is taken as
  /// written, up to the closing '}'.
  std::string parse_file_reference(size_t start, bool evaluate) {
    const size_t path_end = text_.find('}', pos_);
    if (path_end == std::string_view::npos) throw unterminated(start);
    const std::string_view path = text_.substr(pos_, path_end - pos_);
    pos_ = path_end + 1;
    if (path.empty()) {
      throw EnvExpandError(fmt::format(
          "empty path in the reference at character {}; write ${{file:PATH}}",
          start + 1));
    }
    if (!evaluate) return {};
    const std::filesystem::path file = *config_directory_ / path;
    std::string contents = read_referenced_file(file, start);
    // Values reach C APIs, where a NUL would silently cut them short.
    if (contents.find('\0') != std::string::npos) {
      throw EnvExpandError(fmt::format(
          "file {} (the reference at character {}) holds a NUL byte, which "
          "would cut the value short; a ${{file:...}} must be text",
          file.string(), start + 1));
    }
    read_a_file_ = true;
    return without_trailing_newline(std::move(contents));
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
  std::optional<std::filesystem::path> config_directory_;
  size_t pos_ = 0;
  bool read_a_file_ = false;
};

}  // namespace

ExpandedValue expand_config_value(
    std::string_view text, const EnvLookup& lookup,
    const std::filesystem::path& config_directory) {
  return Expander(text, lookup, config_directory).expand();
}

std::string expand_env(std::string_view text, const EnvLookup& lookup) {
  return Expander(text, lookup, std::nullopt).expand().text;
}

std::optional<std::string> lookup_process_env(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace rdconnect::config
