// Host config text parsed as the tests need it: with a fake environment,
// and the problems it reports as "file:line:col: message" lines.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "config/host_config.hpp"

namespace rdconnect::config {

inline const std::filesystem::path kFile = "test.toml";

inline EnvLookup environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](
             const std::string& name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

inline HostConfig parse(std::string_view text, const EnvLookup& lookup = {}) {
  return parse_host_config(text, kFile, lookup ? lookup : environment({}));
}

/// The problems parsing `text` reports, as "file:line:col: message".
inline std::vector<std::string> problems_of(std::string_view text,
                                            const EnvLookup& lookup = {}) {
  try {
    parse(text, lookup);
  } catch (const ConfigError& error) {
    std::vector<std::string> lines;
    for (const ConfigProblem& problem : error.problems()) {
      lines.push_back(problem.to_string());
    }
    return lines;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << text;
  return {};
}

}  // namespace rdconnect::config
