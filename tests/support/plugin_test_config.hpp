// A plugin's validated config as the host hands it to create(), for tests
// that drive a plugin class directly.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <rdconnect/plugin.hpp>

namespace rdconnect::testing {

class TestConfig {
 public:
  /// `defaults` (the plugin's config map defaults) with `overrides` applied.
  TestConfig(
      std::map<std::string, std::string> defaults,
      std::initializer_list<std::pair<std::string, std::string>> overrides) {
    for (const auto& [key, value] : overrides) defaults[key] = value;
    strings_.assign(defaults.begin(), defaults.end());
    for (const auto& [key, value] : strings_) {
      values_.push_back({key.c_str(), value.c_str()});
    }
  }
  TestConfig(const TestConfig&) = delete;
  TestConfig& operator=(const TestConfig&) = delete;

  Config config() const { return Config(values_.data(), values_.size()); }
  const rdc_config_value* data() const { return values_.data(); }
  size_t size() const { return values_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> strings_;
  std::vector<rdc_config_value> values_;
};

}  // namespace rdconnect::testing
