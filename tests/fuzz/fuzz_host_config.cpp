// Fuzzes the host's TOML config parser, ${env:...} expansion included.
//
// The input is the config text. Environment lookups are answered without
// the process environment, so that a run is reproducible: a name starting
// with "UNSET" is unset, "EMPTY" is set to "", and any other name is set to
// a value that holds another reference, so nested expansion is exercised.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_error.hpp"
#include "config/host_config.hpp"

namespace {

std::optional<std::string> fake_env(const std::string& name) {
  if (name.starts_with("UNSET")) return std::nullopt;
  if (name.starts_with("EMPTY")) return std::string();
  return "v-" + name + "-${x}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    rdconnect::config::parse_host_config(text, "fuzz.toml", fake_env);
  } catch (const rdconnect::config::ConfigError&) {
    // A refused config is the expected outcome for most inputs.
  }
  return 0;
}
