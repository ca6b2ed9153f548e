// The environment the config fuzz targets see, without the process's own,
// so that a run is reproducible: a name starting with "UNSET" is unset,
// "EMPTY" is set to "", and any other name is set to a value that holds
// another reference, so nested expansion is exercised.
#pragma once

#include <optional>
#include <string>

namespace rdconnect::fuzz {

inline std::optional<std::string> fake_env(const std::string& name) {
  if (name.starts_with("UNSET")) return std::nullopt;
  if (name.starts_with("EMPTY")) return std::string();
  return "v-" + name + "-${x}";
}

}  // namespace rdconnect::fuzz
