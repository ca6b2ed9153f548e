// Unit tests of the uuid_source plugin, driven through its class without
// loading the module.
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rdconnect/plugin.hpp>

#include "delivery_failure_log.hpp"
#include "key_generator.hpp"
#include "plugin_test_config.hpp"
#include "rate_limiter.hpp"
#include "rfc3339.hpp"
#include "uuid_source.hpp"
#include "uuid_v4.hpp"

namespace rdconnect::uuid_source {
namespace {

using namespace std::chrono_literals;

// An rdc_host that records what the plugin logs.
class FakeHost {
 public:
  struct Line {
    rdc_log_level level;
    std::string message;
  };

  FakeHost()
      : raw_{sizeof(rdc_host), this, "test", &log, &record_error, nullptr} {}
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  Host host() const { return Host(&raw_); }
  const rdc_host* raw() const { return &raw_; }

  std::vector<std::string> messages(rdc_log_level level) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> found;
    for (const Line& line : lines_) {
      if (line.level == level) found.push_back(line.message);
    }
    return found;
  }

 private:
  static void log(void* opaque, rdc_log_level level, const char* message) {
    auto* self = static_cast<FakeHost*>(opaque);
    std::lock_guard lock(self->mutex_);
    self->lines_.push_back({level, message});
  }
  static void record_error(void*, const rdc_record*, const char*) {}

  rdc_host raw_;
  mutable std::mutex mutex_;
  std::vector<Line> lines_;
};

// The plugin's defaults with some values overridden, as the host passes them.
class TestConfig : public rdconnect::testing::TestConfig {
 public:
  explicit TestConfig(
      std::initializer_list<std::pair<std::string, std::string>> overrides)
      : rdconnect::testing::TestConfig({{"count", "10000"},
                                        {"rate", "0"},
                                        {"keys", "0"},
                                        {"seed", "42"},
                                        {"value_bytes", "0"},
                                        {"tombstone_every", "0"}},
                                       overrides) {}
};

struct Produced {
  std::string key;
  std::optional<std::string> value;  // nullopt: tombstone.
  uint64_t ack_id;
};

struct PollResult {
  std::vector<Produced> records;
  bool finished;
};

PollResult poll(UuidSource& source, size_t max_records,
                std::chrono::milliseconds timeout = 0ms) {
  SourceBatch batch;
  source.poll(batch, max_records, timeout);
  const rdc_poll_result result = batch.to_c();
  PollResult polled{{}, result.finished != 0};
  for (size_t i = 0; i < result.record_count; ++i) {
    const rdc_source_record& record = result.records[i];
    Produced produced{std::string(Bytes(record.key).view()), std::nullopt,
                      record.ack_id};
    if (!Bytes(record.value).null()) {
      produced.value = std::string(Bytes(record.value).view());
    }
    polled.records.push_back(std::move(produced));
  }
  return polled;
}

// Polls until the source finishes; fails the test if it produces more than
// `limit` records.
std::vector<Produced> poll_until_finished(UuidSource& source, size_t limit) {
  std::vector<Produced> all;
  while (all.size() <= limit) {
    PollResult polled = poll(source, 128);
    all.insert(all.end(), polled.records.begin(), polled.records.end());
    if (polled.finished) return all;
  }
  ADD_FAILURE() << "the source did not finish after " << limit << " records";
  return all;
}

bool is_uuid_v4(const std::string& text) {
  static const std::regex kUuidV4(
      "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_match(text, kUuidV4);
}

std::string rfc3339(std::chrono::system_clock::time_point time) {
  std::string text;
  append_rfc3339_millis(time, text);
  return text;
}

TEST(UuidV4Test, SetsVersionAndVariantBits) {
  EXPECT_EQ(format_uuid_v4(0, 0).view(),
            "00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(format_uuid_v4(~0ULL, ~0ULL).view(),
            "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_EQ(format_uuid_v4(0x0123456789abcdefULL, 0xfedcba9876543210ULL).view(),
            "01234567-89ab-4def-bedc-ba9876543210");
}

TEST(Rfc3339Test, FormatsUtcWithMilliseconds) {
  using namespace std::chrono;
  const sys_days day = 2026y / November / 28;
  EXPECT_EQ(rfc3339(day + 15h + 4min + 5s + 123ms + 999us),
            "2026-11-28T15:04:05.123Z");
  EXPECT_EQ(rfc3339(system_clock::time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(RateLimiterTest, RecordIsDueAtIndexOverRate) {
  const auto start = RateLimiter::Clock::time_point{} + 1h;
  const RateLimiter limiter(3, start);
  EXPECT_EQ(limiter.due_count(start - 1ns), 0u);
  EXPECT_EQ(limiter.due_count(start), 1u);
  EXPECT_EQ(limiter.due_time(1), start + 333'333'334ns);
  EXPECT_EQ(limiter.due_count(start + 333'333'333ns), 1u);
  EXPECT_EQ(limiter.due_count(start + 333'333'334ns), 2u);
  EXPECT_EQ(limiter.due_time(3), start + 1s);
  EXPECT_EQ(limiter.due_count(start + 1s - 1ns), 3u);
  EXPECT_EQ(limiter.due_count(start + 1s), 4u);
}

TEST(RateLimiterTest, DoesNotOverflowAtMaximumRateOverACentury) {
  const auto start = RateLimiter::Clock::time_point{};
  const RateLimiter limiter(RateLimiter::kMaxRate, start);
  const auto century = std::chrono::hours(24 * 365 * 100);
  const uint64_t seconds = 60ULL * 60 * 24 * 365 * 100;
  EXPECT_EQ(limiter.due_count(start + century), 1'000'000'000 * seconds + 1);
  EXPECT_EQ(limiter.due_time(1'000'000'000 * seconds), start + century);
}

TEST(KeyGeneratorTest, SameSeedGivesSameKeysInSameOrder) {
  KeyGenerator first = KeyGenerator::pooled(10, 7);
  KeyGenerator second = KeyGenerator::pooled(10, 7);
  KeyGenerator other_seed = KeyGenerator::pooled(10, 8);
  std::set<std::string> first_keys;
  std::set<std::string> other_keys;
  for (int i = 0; i < 500; ++i) {
    const std::string key(first.next().view());
    EXPECT_EQ(second.next().view(), key);
    first_keys.insert(key);
    other_keys.emplace(other_seed.next().view());
  }
  EXPECT_EQ(first_keys.size(), 10u);
  EXPECT_EQ(other_keys.size(), 10u);
  EXPECT_NE(first_keys, other_keys);
}

TEST(KeyGeneratorTest, FreshKeysAreValidAndDistinct) {
  KeyGenerator keys = KeyGenerator::fresh();
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string key(keys.next().view());
    EXPECT_TRUE(is_uuid_v4(key)) << key;
    seen.insert(key);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidSourceTest, ProducesExactlyCountRecordsThenFinishes) {
  FakeHost host;
  UuidSource source(TestConfig({{"count", "1000"}}).config(), host.host());
  const std::vector<Produced> records = poll_until_finished(source, 1000);
  ASSERT_EQ(records.size(), 1000u);

  const PollResult after_end = poll(source, 128);
  EXPECT_TRUE(after_end.records.empty());
  EXPECT_TRUE(after_end.finished);
}

TEST(UuidSourceTest, FinishesWithTheBatchHoldingTheLastRecord) {
  FakeHost host;
  UuidSource source(TestConfig({{"count", "5"}}).config(), host.host());
  const PollResult first = poll(source, 3);
  EXPECT_EQ(first.records.size(), 3u);
  EXPECT_FALSE(first.finished);
  const PollResult second = poll(source, 3);
  EXPECT_EQ(second.records.size(), 2u);
  EXPECT_TRUE(second.finished);
}

TEST(UuidSourceTest, ValuesCarryKeyAsIdSequenceAndCreationTime) {
  FakeHost host;
  const std::string before = rfc3339(std::chrono::system_clock::now());
  UuidSource source(TestConfig({{"count", "1000"}}).config(), host.host());
  const std::vector<Produced> records = poll_until_finished(source, 1000);
  const std::string after = rfc3339(std::chrono::system_clock::now());

  ASSERT_EQ(records.size(), 1000u);
  std::set<std::string> keys;
  for (uint64_t seq = 0; seq < records.size(); ++seq) {
    const Produced& record = records[seq];
    EXPECT_TRUE(is_uuid_v4(record.key)) << record.key;
    EXPECT_EQ(record.ack_id, seq);
    ASSERT_TRUE(record.value.has_value());
    const nlohmann::json value = nlohmann::json::parse(*record.value);
    EXPECT_EQ(value.at("id"), record.key);
    EXPECT_EQ(value.at("seq"), seq);
    const std::string created_at = value.at("created_at");
    EXPECT_LE(before, created_at);
    EXPECT_GE(after, created_at);
    EXPECT_FALSE(value.contains("payload"));
    keys.insert(record.key);
  }
  EXPECT_EQ(keys.size(), 1000u);
}

TEST(UuidSourceTest, KeyPoolRepeatsTheSameKeysForTheSameSeed) {
  FakeHost host;
  const TestConfig config({{"count", "1000"}, {"keys", "10"}, {"seed", "3"}});
  UuidSource first(config.config(), host.host());
  UuidSource second(config.config(), host.host());
  const std::vector<Produced> first_records = poll_until_finished(first, 1000);
  const std::vector<Produced> second_records =
      poll_until_finished(second, 1000);

  ASSERT_EQ(first_records.size(), 1000u);
  ASSERT_EQ(second_records.size(), 1000u);
  std::set<std::string> keys;
  for (size_t i = 0; i < first_records.size(); ++i) {
    EXPECT_EQ(first_records[i].key, second_records[i].key);
    EXPECT_TRUE(is_uuid_v4(first_records[i].key));
    keys.insert(first_records[i].key);
  }
  EXPECT_EQ(keys.size(), 10u);
}

TEST(UuidSourceTest, EveryFifthRecordIsATombstoneForAnEarlierKey) {
  FakeHost host;
  UuidSource source(
      TestConfig({{"count", "1000"}, {"tombstone_every", "5"}}).config(),
      host.host());
  const std::vector<Produced> records = poll_until_finished(source, 1000);

  ASSERT_EQ(records.size(), 1000u);
  std::set<std::string> earlier_keys;
  size_t tombstones = 0;
  for (uint64_t seq = 0; seq < records.size(); ++seq) {
    const Produced& record = records[seq];
    if (!record.value) {
      ++tombstones;
      EXPECT_EQ(seq % 5, 4u);
      EXPECT_TRUE(earlier_keys.contains(record.key)) << "seq " << seq;
    } else {
      EXPECT_NE(seq % 5, 4u);
    }
    earlier_keys.insert(record.key);
  }
  EXPECT_EQ(tombstones, 200u);
}

TEST(UuidSourceTest, TombstoneEveryRecordStartsWithANormalRecord) {
  FakeHost host;
  UuidSource source(
      TestConfig({{"count", "4"}, {"tombstone_every", "1"}}).config(),
      host.host());
  const std::vector<Produced> records = poll_until_finished(source, 4);

  ASSERT_EQ(records.size(), 4u);
  EXPECT_TRUE(records[0].value.has_value());
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_FALSE(records[i].value.has_value());
    EXPECT_EQ(records[i].key, records[0].key);
  }
}

TEST(UuidSourceTest, PadsValuesToExactlyValueBytes) {
  FakeHost host;
  UuidSource source(
      TestConfig({{"count", "1000"}, {"value_bytes", "512"}}).config(),
      host.host());
  const std::vector<Produced> records = poll_until_finished(source, 1000);

  ASSERT_EQ(records.size(), 1000u);
  for (const Produced& record : records) {
    ASSERT_TRUE(record.value.has_value());
    EXPECT_EQ(record.value->size(), 512u);
    const nlohmann::json value = nlohmann::json::parse(*record.value);
    const std::string payload = value.at("payload");
    EXPECT_EQ(payload.find_first_not_of('x'), std::string::npos);
  }
}

TEST(UuidSourceTest, ValueBytesTooSmallForAPayloadLeavesTheValueUnpadded) {
  FakeHost host;
  // seq 0 makes a 106-byte value with an empty payload, 93 bytes without.
  UuidSource exact(
      TestConfig({{"count", "1"}, {"value_bytes", "106"}}).config(),
      host.host());
  UuidSource too_small(
      TestConfig({{"count", "1"}, {"value_bytes", "105"}}).config(),
      host.host());
  const std::vector<Produced> exact_records = poll_until_finished(exact, 1);
  const std::vector<Produced> small_records = poll_until_finished(too_small, 1);

  ASSERT_EQ(exact_records.size(), 1u);
  ASSERT_EQ(small_records.size(), 1u);
  EXPECT_EQ(exact_records[0].value->size(), 106u);
  EXPECT_EQ(nlohmann::json::parse(*exact_records[0].value).at("payload"), "");
  EXPECT_EQ(small_records[0].value->size(), 93u);
}

TEST(UuidSourceTest, RateLimitNeverReturnsMoreThanIsDue) {
  constexpr uint64_t kRate = 1000;
  FakeHost host;
  // Taken before the source exists, so the source's own clock starts no
  // earlier and the bound below can only be generous.
  const auto start = std::chrono::steady_clock::now();
  UuidSource source(
      TestConfig({{"count", "0"}, {"rate", std::to_string(kRate)}}).config(),
      host.host());

  uint64_t produced = 0;
  for (int i = 0; i < 10; ++i) {
    produced += poll(source, 100'000, 50ms).records.size();
    const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now() - start);
    const uint64_t due =
        kRate * static_cast<uint64_t>(elapsed.count()) / 1'000'000'000 + 1;
    EXPECT_LE(produced, due) << "after poll " << i;
  }
  // Record 0 is due at once.
  EXPECT_GE(produced, 1u);
}

TEST(UuidSourceTest, UnboundedCountNeverFinishes) {
  FakeHost host;
  UuidSource source(TestConfig({{"count", "0"}}).config(), host.host());
  for (int i = 0; i < 20; ++i) {
    const PollResult polled = poll(source, 1000);
    EXPECT_EQ(polled.records.size(), 1000u);
    EXPECT_FALSE(polled.finished);
  }
}

TEST(UuidSourceTest, NegativeCountIsRejectedNamingTheKey) {
  FakeHost host;
  const TestConfig config({{"count", "-1"}});
  try {
    UuidSource source(config.config(), host.host());
    FAIL() << "a negative count was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("'count'"), std::string::npos)
        << error.what();
  }
}

TEST(UuidSourceTest, InvalidConfigIsFatalThroughTheAbi) {
  FakeHost host;
  const TestConfig config({{"value_bytes", "-5"}});
  const rdc_source_api* api = detail::source_api<UuidSource>();
  void* instance = nullptr;
  char errstr[RDC_ERRSTR_SIZE] = {};
  EXPECT_EQ(api->create(host.raw(), config.data(), config.size(), &instance,
                        errstr, sizeof errstr),
            RDC_FATAL);
  EXPECT_EQ(instance, nullptr);
  EXPECT_STREQ(errstr,
               "uuid_source: config key 'value_bytes' is -5, but must be "
               "between 0 and 1000000000");
}

TEST(UuidSourceTest, CountsDeliveriesAndWarnsAboutFailures) {
  FakeHost host;
  {
    UuidSource source(TestConfig({{"count", "3"}}).config(), host.host());
    ASSERT_EQ(poll_until_finished(source, 3).size(), 3u);
    const Delivery deliveries[] = {
        {.ack_id = 0,
         .delivered = 1,
         .partition = 0,
         .offset = 7,
         .error = nullptr},
        {.ack_id = 1,
         .delivered = 0,
         .partition = 0,
         .offset = -1,
         .error = "Broker: Not enough in-sync replicas"},
        {.ack_id = 2,
         .delivered = 0,
         .partition = 0,
         .offset = -1,
         .error = "Local: Message timed out"},
    };
    source.ack(deliveries);
    EXPECT_EQ(source.delivered_count(), 1u);
    EXPECT_EQ(source.failed_count(), 2u);
    EXPECT_EQ(host.messages(RDC_LOG_WARN),
              std::vector<std::string>{
                  "2 record(s) were not delivered and will not be produced "
                  "again (latest error: Local: Message timed out)"});
  }
  EXPECT_EQ(
      host.messages(RDC_LOG_INFO),
      std::vector<std::string>{"produced 3 record(s): 1 delivered, 2 failed"});
}

TEST(DeliveryFailureLogTest, LogsAtMostOneLinePerInterval) {
  FakeHost host;
  DeliveryFailureLog log(host.host(), 1s);
  const auto start = DeliveryFailureLog::Clock::time_point{} + 1h;

  log.add("first");
  log.log_if_due(start);
  log.add("second");
  log.add("third");
  log.log_if_due(start + 999ms);
  EXPECT_EQ(host.messages(RDC_LOG_WARN).size(), 1u);

  log.log_if_due(start + 1s);
  log.log_if_due(start + 3s);
  EXPECT_EQ(host.messages(RDC_LOG_WARN),
            (std::vector<std::string>{
                "1 record(s) were not delivered and will not be produced "
                "again (latest error: first)",
                "2 record(s) were not delivered and will not be produced "
                "again (latest error: third)"}));
}

TEST(DeliveryFailureLogTest, LogPendingReportsWhatTheIntervalHeldBack) {
  FakeHost host;
  DeliveryFailureLog log(host.host(), 1s);
  const auto start = DeliveryFailureLog::Clock::time_point{} + 1h;
  log.add("first");
  log.log_if_due(start);
  log.add("second");
  log.log_if_due(start + 1ms);
  log.log_pending();
  log.log_pending();
  EXPECT_EQ(host.messages(RDC_LOG_WARN).size(), 2u);
  EXPECT_EQ(host.messages(RDC_LOG_WARN).back(),
            "1 record(s) were not delivered and will not be produced again "
            "(latest error: second)");
}

}  // namespace
}  // namespace rdconnect::uuid_source
