// Fuzzes the UUID key reader of the uuid_mod partitioner.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "partition/partitioner.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view key(reinterpret_cast<const char*>(data), size);
  const auto uuid = rdconnect::partition::parse_uuid_key(key);
  if (uuid) {
    for (int32_t n : {1, 3, 1000, 2147483647}) {
      const int32_t partition = rdconnect::partition::uuid_mod(*uuid, n);
      if (partition < 0 || partition >= n) std::abort();
    }
  }
  return 0;
}
