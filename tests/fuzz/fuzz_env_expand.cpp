// Fuzzes ${env:...} expansion of one string, as the config parser calls it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/env_expand.hpp"
#include "fake_env.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    rdconnect::config::expand_env(text, rdconnect::fuzz::fake_env);
  } catch (const rdconnect::config::EnvExpandError&) {
  }
  return 0;
}
