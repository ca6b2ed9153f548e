#include "uuid_source.hpp"

#include <algorithm>
#include <thread>
#include <utility>

#include "record_value.hpp"

namespace rdconnect::uuid_source {
namespace {

constexpr auto kFailureLogInterval = std::chrono::seconds(1);

KeyGenerator make_key_generator(const UuidSourceOptions& options) {
  if (options.keys == 0) return KeyGenerator::fresh();
  return KeyGenerator::pooled(options.keys, options.seed);
}

}  // namespace

UuidSource::UuidSource(const Config& config, Host host)
    : options_(parse_uuid_source_options(config)),
      host_(host),
      keys_(make_key_generator(options_)),
      failure_log_(host, kFailureLogInterval) {}

UuidSource::~UuidSource() {
  failure_log_.log_pending();
  host_.info("produced " + std::to_string(next_seq_) +
             " record(s): " + std::to_string(delivered_) + " delivered, " +
             std::to_string(failed_) + " failed");
}

void UuidSource::poll(SourceBatch& batch, size_t max_records,
                      std::chrono::milliseconds timeout) {
  const uint64_t count = records_to_produce(max_records, timeout);
  for (uint64_t i = 0; i < count; ++i) produce_one(batch);
  if (exhausted()) batch.finish();
}

void UuidSource::ack(std::span<const Delivery> deliveries) {
  for (const Delivery& delivery : deliveries) {
    if (delivery.delivered) {
      ++delivered_;
    } else {
      ++failed_;
      failure_log_.add(delivery.error != nullptr ? delivery.error
                                                 : "no error given");
    }
  }
  failure_log_.log_if_due(DeliveryFailureLog::Clock::now());
}

bool UuidSource::exhausted() const {
  return options_.count != 0 && next_seq_ >= options_.count;
}

uint64_t UuidSource::records_to_produce(size_t max_records,
                                        std::chrono::milliseconds timeout) {
  uint64_t wanted = max_records;
  if (options_.count != 0) {
    wanted = std::min(wanted, options_.count - next_seq_);
  }
  if (wanted == 0 || options_.rate == 0) return wanted;
  return std::min(wanted, due_after_waiting(timeout));
}

// When nothing is due, sleeps until the next record is, but never past the
// poll's timeout: poll() may block that long by contract, and sleeping
// avoids a busy loop between the host and the plugin.
uint64_t UuidSource::due_after_waiting(std::chrono::milliseconds timeout) {
  const auto now = RateLimiter::Clock::now();
  if (!rate_limiter_) rate_limiter_.emplace(options_.rate, now);
  const uint64_t due = records_due(now);
  if (due > 0) return due;
  std::this_thread::sleep_until(
      std::min(now + timeout, rate_limiter_->due_time(next_seq_)));
  return records_due(RateLimiter::Clock::now());
}

uint64_t UuidSource::records_due(RateLimiter::Clock::time_point now) const {
  const uint64_t released = rate_limiter_->due_count(now);
  return released > next_seq_ ? released - next_seq_ : 0;
}

void UuidSource::produce_one(SourceBatch& batch) {
  const uint64_t seq = next_seq_++;
  const bool tombstone = is_tombstone_slot(seq) && tombstone_target_;
  const UuidText key = tombstone ? *tombstone_target_ : keys_.next();
  if (is_tombstone_target_slot(seq)) tombstone_target_ = key;
  if (tombstone) {
    batch.add_tombstone(key.view(), seq);
    return;
  }
  value_buffer_.clear();
  append_record_value(key.view(), seq, std::chrono::system_clock::now(),
                      options_.value_bytes, value_buffer_);
  batch.add(key.view(), value_buffer_, seq);
}

// With tombstone_every = N, the last record of every N is a tombstone for
// the key of the record in the middle of the same N, which is always a
// normal record for N >= 2. With N = 1 every record after the first deletes
// the first record's key again.
bool UuidSource::is_tombstone_slot(uint64_t seq) const {
  const uint64_t every = options_.tombstone_every;
  return every != 0 && seq % every == every - 1;
}

bool UuidSource::is_tombstone_target_slot(uint64_t seq) const {
  const uint64_t every = options_.tombstone_every;
  return every != 0 && seq % every == (every - 1) / 2;
}

}  // namespace rdconnect::uuid_source
