// uuid_source: a source that generates records keyed by UUIDv4, for load
// tests and demos.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <rdconnect/plugin.hpp>

#include "delivery_failure_log.hpp"
#include "key_generator.hpp"
#include "rate_limiter.hpp"
#include "uuid_source_options.hpp"

namespace rdconnect::uuid_source {

/// Generates records whose key is a UUIDv4 and whose value is a JSON object
/// {"id":KEY,"seq":N,"created_at":"<RFC 3339>"[,"payload":"x..."]}, where
/// seq counts the records of this instance from 0 and is also the ack_id.
/// Optionally rate-limited, with repeating keys and periodic tombstones; see
/// kUuidSourceConfig in plugin.cpp for the options.
///
/// Failed deliveries are counted and logged but not produced again: the
/// producer already retries internally, and a load generator has nothing to
/// lose.
class UuidSource : public Source {
 public:
  /// Throws std::invalid_argument naming the key of an invalid option.
  UuidSource(const Config& config, Host host);
  ~UuidSource() override;
  UuidSource(const UuidSource&) = delete;
  UuidSource& operator=(const UuidSource&) = delete;

  void poll(SourceBatch& batch, size_t max_records,
            std::chrono::milliseconds timeout) override;
  void ack(std::span<const Delivery> deliveries) override;

  uint64_t delivered_count() const { return delivered_; }
  uint64_t failed_count() const { return failed_; }

 private:
  bool exhausted() const;
  uint64_t records_to_produce(size_t max_records,
                              std::chrono::milliseconds timeout);
  uint64_t due_after_waiting(std::chrono::milliseconds timeout);
  uint64_t records_due(RateLimiter::Clock::time_point now) const;
  void produce_one(SourceBatch& batch);
  bool is_tombstone_slot(uint64_t seq) const;
  bool is_tombstone_target_slot(uint64_t seq) const;

  UuidSourceOptions options_;
  Host host_;
  KeyGenerator keys_;
  // Started by the first poll, so that time spent before it is not owed.
  std::optional<RateLimiter> rate_limiter_;
  // The key the next tombstone deletes; empty until a record set it.
  std::optional<UuidText> tombstone_target_;
  // Where each record's value is built; reused, so that it allocates only
  // while it grows.
  std::string value_buffer_;
  uint64_t next_seq_ = 0;
  uint64_t delivered_ = 0;
  uint64_t failed_ = 0;
  DeliveryFailureLog failure_log_;
};

}  // namespace rdconnect::uuid_source
