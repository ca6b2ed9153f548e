// Partitioners: which partition a source record's key goes to.
//
// Each hashing partitioner reproduces a well-known client bit for bit, so
// that records written by rdconnect land where a producer in that language
// would have put them:
//  - murmur2: the Java client's default for keyed records,
//    toPositive(Utils.murmur2(key)) % n, i.e. (hash & 0x7fffffff) % n.
//  - murmur3: Python's `mmh3.hash(key) % n`. mmh3.hash is signed, and
//    Python's % floors, so a negative hash still gives a partition in [0, n).
//    This differs from (hash & 0x7fffffff) % n and from C's truncating %: we
//    follow Python because that is the producer this choice exists to match.
//  - uuid_mod: Python's `uuid.UUID(key).int % n`.
//  - librdkafka_default: leaves the choice to librdkafka's own partitioner.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/host_config.hpp"

namespace rdconnect::partition {

/// Java client's murmur2 (org.apache.kafka.common.utils.Utils.murmur2).
int32_t murmur2(std::string_view data);

/// MurmurHash3 x86 32-bit, as Python's mmh3.hash(data, seed) (signed).
int32_t murmur3_32(std::string_view data, uint32_t seed = 0);

/// The 16 bytes of a UUID read from a key: 36-character text
/// (8-4-4-4-12 hex digits, either case) or 16 raw bytes; nullopt otherwise.
/// Other spellings Python's uuid.UUID() accepts (32 bare hex digits, braces,
/// a "urn:uuid:" prefix) are rejected on purpose: a key is an identity, and
/// one UUID written two ways would still hash to one partition here but not
/// in every other consumer of the topic.
std::optional<std::array<uint8_t, 16>> parse_uuid_key(std::string_view key);

/// The 128-bit big-endian integer `uuid` modulo n (n > 0), as Python's
/// uuid.UUID(key).int % n. Throws std::invalid_argument when n <= 0.
int32_t uuid_mod(const std::array<uint8_t, 16>& uuid, int32_t n);

/// Chooses a partition for a key. A key the partitioner cannot read
/// (not a UUID for uuid_mod, a null key for the hashing ones) gives an
/// error message instead of a partition.
class Partitioner {
 public:
  struct Choice {
    /// Chosen partition, or RDC_PARTITION_ANY for "let librdkafka choose".
    int32_t partition = -1;
    /// Non-empty when the key cannot be partitioned.
    std::string error;
  };

  virtual ~Partitioner() = default;
  /// key == nullopt for a null key. The hashing partitioners also refuse a
  /// partition_count <= 0 with an error.
  virtual Choice choose(std::optional<std::string_view> key,
                        int32_t partition_count) const = 0;
};

/// The partitioner of `kind` (see the top of this file for what each does).
/// librdkafka_default always answers RDC_PARTITION_ANY and never fails.
std::unique_ptr<Partitioner> make_partitioner(config::PartitionerKind kind);

}  // namespace rdconnect::partition
