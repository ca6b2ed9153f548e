// The validated configuration of a uuid_source instance.
#pragma once

#include <cstdint>

#include <rdconnect/plugin.hpp>

namespace rdconnect::uuid_source {

/// See kUuidSourceConfig in plugin.cpp for what each option means.
struct UuidSourceOptions {
  uint64_t count;  // 0: unbounded.
  int64_t rate;    // Records per second; 0: unlimited.
  uint64_t keys;   // Key pool size; 0: a fresh key per record.
  uint64_t seed;
  uint64_t value_bytes;      // 0: no padding.
  uint64_t tombstone_every;  // 0: no tombstones.
};

/// Reads and checks the options; throws std::invalid_argument naming the key
/// of the first value that is out of range.
UuidSourceOptions parse_uuid_source_options(const Config& config);

}  // namespace rdconnect::uuid_source
