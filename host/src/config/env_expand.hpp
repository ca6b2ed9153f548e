// ${env:...} references in config strings.
#pragma once

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

/// Expand every reference in `text`:
///   ${env:NAME}            the variable's value; an error when it is unset
///   ${env:NAME:-default}   the value, or `default` when NAME is unset or
///                          empty (as the shell's :-); `default` may itself
///                          hold references
///   $${                    a literal "${"
/// Any other ${...} is an error. Throws EnvExpandError, whose message gives
/// the 1-based character position of the faulty reference but never any of
/// `text` (it may be a secret) beyond the name of an unset variable.
std::string expand_env(std::string_view text, const EnvLookup& lookup);

/// EnvLookup over the environment of this process.
std::optional<std::string> lookup_process_env(const std::string& name);

}  // namespace rdconnect::config
