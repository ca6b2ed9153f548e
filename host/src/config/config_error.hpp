// Errors in configuration, with the place they were found.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rdconnect::config {

struct SourceLocation {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

/// One problem: "file:line:col: message".
struct ConfigProblem {
  SourceLocation location;
  std::string message;
  std::string to_string() const;
};

/// Every problem found in one config, reported together so the operator
/// fixes them in one pass. what() holds one problem per line.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::vector<ConfigProblem> problems);
  const std::vector<ConfigProblem>& problems() const { return problems_; }

 private:
  std::vector<ConfigProblem> problems_;
};

}  // namespace rdconnect::config
