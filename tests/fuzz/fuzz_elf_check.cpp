// Fuzzes the ELF header check the host runs on a plugin file before
// dlopen(): the input is the whole file.
#include <cstddef>
#include <cstdint>
#include <span>

#include "plugin/elf_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  rdconnect::plugin::elf_problem(
      std::span(reinterpret_cast<const std::byte*>(data), size));
  return 0;
}
