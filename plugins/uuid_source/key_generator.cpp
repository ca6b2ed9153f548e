#include "key_generator.hpp"

#include <array>
#include <utility>

#include "uuid_v4.hpp"

namespace rdconnect::uuid_source {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): the value at position `position` of
// the stream started at `seed`. Counter-based, so any pool entry can be
// computed directly.
uint64_t splitmix64(uint64_t seed, uint64_t position) {
  uint64_t z = seed + (position + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::mt19937_64 nondeterministic_engine() {
  std::random_device device;
  std::array<std::random_device::result_type, 8> entropy{};
  for (auto& word : entropy) word = device();
  std::seed_seq seed(entropy.begin(), entropy.end());
  return std::mt19937_64(seed);
}

}  // namespace

KeyGenerator KeyGenerator::fresh() {
  return KeyGenerator(nondeterministic_engine(), 0, 0);
}

KeyGenerator KeyGenerator::pooled(uint64_t pool_size, uint64_t seed) {
  // The draws and the pool use independent streams of the same seed, so that
  // changing the pool size does not change which UUIDs are in it.
  return KeyGenerator(std::mt19937_64(seed), pool_size, splitmix64(seed, 0));
}

KeyGenerator::KeyGenerator(std::mt19937_64 engine, uint64_t pool_size,
                           uint64_t pool_seed)
    : engine_(std::move(engine)),
      pool_size_(pool_size),
      pool_seed_(pool_seed) {}

UuidText KeyGenerator::next() {
  if (pool_size_ == 0) {
    const uint64_t high = engine_();
    return format_uuid_v4(high, engine_());
  }
  return pool_key(engine_() % pool_size_);
}

UuidText KeyGenerator::pool_key(uint64_t index) const {
  return format_uuid_v4(splitmix64(pool_seed_, 2 * index),
                        splitmix64(pool_seed_, 2 * index + 1));
}

}  // namespace rdconnect::uuid_source
