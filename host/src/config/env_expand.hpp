// ${env:...} and ${file:...} references in config strings.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rdconnect::config {

/// The value of environment variable `name`, or nullopt when it is unset.
using EnvLookup =
    std::function<std::optional<std::string>(const std::string& name)>;

/// A reference that cannot be expanded. what() says what is wrong and what
/// to write instead; the caller adds where.
class EnvExpandError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A config string with its references expanded.
struct ExpandedValue {
  std::string text;
  /// `text` holds the contents of a ${file:...}: a secret (the file is how
  /// passwords and keys are kept out of the config), never to be shown.
  bool holds_file_contents = false;
};

/// Expand every reference in a string of the config file in
/// `config_directory`:
///   ${env:NAME}            the variable's value; an error when it is unset
///   ${env:NAME:-default}   the value, or `default` when NAME is unset or
///                          empty (as the shell's :-); `default` may itself
///                          hold references
///   ${file:PATH}           the whole contents of file PATH less one trailing
///                          newline ("\n" or "\r\n"); a relative PATH is
///                          relative to `config_directory`, so that it does
///                          not depend on where rdconnect was started (an
///                          empty `config_directory` is the working one)
///   $${                    a literal "${"
/// Any other ${...} is an error. Throws EnvExpandError, whose message gives
/// the 1-based character position of the faulty reference but never any of
/// `text` (it may be a secret) beyond the name of an unset variable or the
/// path of an unreadable file, and never any of a file's contents.
ExpandedValue expand_config_value(
    std::string_view text, const EnvLookup& lookup,
    const std::filesystem::path& config_directory);

/// As expand_config_value, with ${env:...} and $${ only: ${file:...} is an
/// unknown reference here. For text that belongs to no config file, and for
/// the fuzz target, which must stay reproducible and off the filesystem.
std::string expand_env(std::string_view text, const EnvLookup& lookup);

/// EnvLookup over the environment of this process.
std::optional<std::string> lookup_process_env(const std::string& name);

}  // namespace rdconnect::config
