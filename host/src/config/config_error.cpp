#include "config/config_error.hpp"

#include <fmt/format.h>

namespace rdconnect::config {
namespace {

std::string join_problems(const std::vector<ConfigProblem>& problems) {
  std::string text;
  for (const ConfigProblem& problem : problems) {
    if (!text.empty()) text += '\n';
    text += problem.to_string();
  }
  return text;
}

}  // namespace

std::string ConfigProblem::to_string() const {
  if (location.line == 0) return fmt::format("{}: {}", location.file, message);
  return fmt::format("{}:{}:{}: {}", location.file, location.line,
                     location.column, message);
}

ConfigError::ConfigError(std::vector<ConfigProblem> problems)
    : std::runtime_error(join_problems(problems)),
      problems_(std::move(problems)) {}

}  // namespace rdconnect::config
