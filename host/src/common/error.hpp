// The host's error value: what went wrong and whether trying again can help.
#pragma once

#include <stdexcept>
#include <string>

namespace rdconnect {

/// Thrown inside the host. The kind tells the runtime what can help:
/// - retriable: back off and repeat the call (broker unavailable, plugin
///   said RDC_RETRY);
/// - fatal: stop the connector; its supervisor may restart it (plugin said
///   RDC_FATAL, retries ran out);
/// - permanent: stop the connector for good, because a restart would meet
///   the same refusal (a record that neither the sink nor the dead-letter
///   topic takes, a topic whose partition count changed under a source).
class Error : public std::runtime_error {
 public:
  enum class Kind { retriable, fatal, permanent };

  Error(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  static Error retriable(const std::string& message) {
    return Error(Kind::retriable, message);
  }
  static Error fatal(const std::string& message) {
    return Error(Kind::fatal, message);
  }
  static Error permanent(const std::string& message) {
    return Error(Kind::permanent, message);
  }

  bool is_retriable() const { return kind_ == Kind::retriable; }
  bool is_permanent() const { return kind_ == Kind::permanent; }

 private:
  Kind kind_;
};

/// Whether `error` is an Error a restart cannot cure.
inline bool is_permanent(const std::exception& error) {
  const auto* host_error = dynamic_cast<const Error*>(&error);
  return host_error != nullptr && host_error->is_permanent();
}

}  // namespace rdconnect
