// Where the keys of the generated records come from.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "uuid_v4.hpp"

namespace rdconnect::uuid_source {

/// Produces record keys as UUIDv4 text: either a fresh random UUID per record,
/// or draws from a fixed, seeded pool so that keys repeat.
class KeyGenerator {
 public:
  /// Every key a fresh UUID from a non-deterministic seed.
  static KeyGenerator fresh();

  /// Keys drawn from a pool of pool_size UUIDs; the pool and the sequence of
  /// draws are fully determined by seed. pool_size must be positive.
  static KeyGenerator pooled(uint64_t pool_size, uint64_t seed);

  UuidText next();

 private:
  KeyGenerator(std::mt19937_64 engine, uint64_t pool_size, uint64_t pool_seed);

  // Entry `index` of the pool. The pool is computed on demand rather than
  // stored, so a pool of a hundred million keys costs no memory.
  UuidText pool_key(uint64_t index) const;

  std::mt19937_64 engine_;
  uint64_t pool_size_;  // 0: fresh keys.
  uint64_t pool_seed_;
};

}  // namespace rdconnect::uuid_source
