#include "uuid_source_options.hpp"

#include <limits>
#include <stdexcept>
#include <string>

#include "rate_limiter.hpp"

namespace rdconnect::uuid_source {
namespace {

// librdkafka refuses messages larger than this whatever message.max.bytes is.
constexpr int64_t kMaxValueBytes = 1'000'000'000;

int64_t integer_in_range(const Config& config, const char* key, int64_t min,
                         int64_t max) {
  const int64_t value = config.integer(key);
  if (value < min || value > max) {
    throw std::invalid_argument("uuid_source: config key '" + std::string(key) +
                                "' is " + std::to_string(value) +
                                ", but must be between " + std::to_string(min) +
                                " and " + std::to_string(max));
  }
  return value;
}

uint64_t non_negative(const Config& config, const char* key) {
  return static_cast<uint64_t>(
      integer_in_range(config, key, 0, std::numeric_limits<int64_t>::max()));
}

}  // namespace

UuidSourceOptions parse_uuid_source_options(const Config& config) {
  return {
      .count = non_negative(config, "count"),
      .rate = integer_in_range(config, "rate", 0, RateLimiter::kMaxRate),
      .keys = non_negative(config, "keys"),
      .seed = static_cast<uint64_t>(config.integer("seed")),
      .value_bytes = static_cast<uint64_t>(
          integer_in_range(config, "value_bytes", 0, kMaxValueBytes)),
      .tombstone_every = non_negative(config, "tombstone_every"),
  };
}

}  // namespace rdconnect::uuid_source
