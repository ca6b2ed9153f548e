// Fuzzes the host's TOML config parser, ${env:...} expansion included. The
// input is the config text; see fake_env.hpp for the environment.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/config_error.hpp"
#include "config/host_config.hpp"
#include "fake_env.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    rdconnect::config::parse_host_config(text, "fuzz.toml",
                                         rdconnect::fuzz::fake_env);
  } catch (const rdconnect::config::ConfigError&) {
    // A refused config is the expected outcome for most inputs.
  }
  return 0;
}
