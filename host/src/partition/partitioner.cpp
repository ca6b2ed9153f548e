// The partitioners behind make_partitioner.
#include "partition/partitioner.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include <rdconnect/excerpt.hpp>
#include "rdconnect/plugin.h"

namespace rdconnect::partition {
namespace {

using Choice = Partitioner::Choice;

// Enough to recognise a key (a whole UUID fits) without flooding the log.
constexpr size_t kKeyPreviewBytes = 40;

Choice failure(std::string message) {
  return Choice{RDC_PARTITION_ANY, std::move(message)};
}

// Shared checks of every partitioner that needs a key and a partition count;
// subclasses only map a present key to a partition in [0, partition_count).
class KeyedPartitioner : public Partitioner {
 public:
  Choice choose(std::optional<std::string_view> key,
                int32_t partition_count) const final {
    if (partition_count <= 0) {
      return failure(fmt::format(
          "the {} partitioner needs a positive partition count, got {}", name(),
          partition_count));
    }
    if (!key) return failure(null_key_message());
    return choose_for_key(*key, partition_count);
  }

 private:
  virtual const char* name() const = 0;
  virtual std::string null_key_message() const = 0;
  virtual Choice choose_for_key(std::string_view key,
                                int32_t partition_count) const = 0;
};

// Shared by the two hashing partitioners: a null key has no hash.
std::string null_key_message_for_hash(const char* name) {
  return fmt::format(
      "key is null: the {} partitioner hashes the key, so every record needs "
      "one (unlike the Java client, which spreads keyless records with its "
      "sticky partitioner); give the records keys, or use the \"default\" "
      "partitioner",
      name);
}

class UuidModPartitioner final : public KeyedPartitioner {
 private:
  const char* name() const override { return "uuid_mod"; }

  std::string null_key_message() const override {
    return "key is null: the uuid_mod partitioner needs a UUID key "
           "(36-character text like 123e4567-e89b-12d3-a456-426614174000 or "
           "16 raw bytes)";
  }

  Choice choose_for_key(std::string_view key,
                        int32_t partition_count) const override {
    const auto uuid = parse_uuid_key(key);
    if (!uuid) {
      return failure(fmt::format(
          "key is not a UUID (expected 36-character text like "
          "123e4567-e89b-12d3-a456-426614174000 or 16 raw bytes), got {} "
          "bytes: {}",
          key.size(), quoted_excerpt(key, kKeyPreviewBytes)));
    }
    return Choice{uuid_mod(*uuid, partition_count), {}};
  }
};

class Murmur2Partitioner final : public KeyedPartitioner {
 private:
  const char* name() const override { return "murmur2"; }

  std::string null_key_message() const override {
    return null_key_message_for_hash(name());
  }

  Choice choose_for_key(std::string_view key,
                        int32_t partition_count) const override {
    // Java's Utils.toPositive: clear the sign bit rather than negate.
    const int32_t positive_hash = murmur2(key) & 0x7fffffff;
    return Choice{positive_hash % partition_count, {}};
  }
};

class Murmur3Partitioner final : public KeyedPartitioner {
 private:
  const char* name() const override { return "murmur3"; }

  std::string null_key_message() const override {
    return null_key_message_for_hash(name());
  }

  Choice choose_for_key(std::string_view key,
                        int32_t partition_count) const override {
    // Python's % floors: a negative hash maps into [0, n) too, which C++'s
    // truncating % does not do by itself.
    int32_t partition = murmur3_32(key) % partition_count;
    if (partition < 0) partition += partition_count;
    return Choice{partition, {}};
  }
};

class LibrdkafkaDefaultPartitioner final : public Partitioner {
 public:
  Choice choose(std::optional<std::string_view> /*key*/,
                int32_t /*partition_count*/) const override {
    return Choice{RDC_PARTITION_ANY, {}};
  }
};

}  // namespace

std::unique_ptr<Partitioner> make_partitioner(config::PartitionerKind kind) {
  switch (kind) {
    case config::PartitionerKind::uuid_mod:
      return std::make_unique<UuidModPartitioner>();
    case config::PartitionerKind::murmur2:
      return std::make_unique<Murmur2Partitioner>();
    case config::PartitionerKind::murmur3:
      return std::make_unique<Murmur3Partitioner>();
    case config::PartitionerKind::librdkafka_default:
      return std::make_unique<LibrdkafkaDefaultPartitioner>();
  }
  throw std::invalid_argument(fmt::format(
      "make_partitioner: unknown partitioner kind {}", static_cast<int>(kind)));
}

}  // namespace rdconnect::partition
