// The host's error value: what went wrong and whether trying again can help.
#pragma once

#include <stdexcept>
#include <string>

namespace rdconnect {

/// Thrown inside the host. retriable() tells the runtime whether to back off
/// and repeat (broker unavailable, plugin said RDC_RETRY) or to stop the
/// connector (bad config, plugin said RDC_FATAL).
class Error : public std::runtime_error {
 public:
  enum class Kind { retriable, fatal };

  Error(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  static Error retriable(const std::string& message) {
    return Error(Kind::retriable, message);
  }
  static Error fatal(const std::string& message) {
    return Error(Kind::fatal, message);
  }

  bool is_retriable() const { return kind_ == Kind::retriable; }

 private:
  Kind kind_;
};

}  // namespace rdconnect
