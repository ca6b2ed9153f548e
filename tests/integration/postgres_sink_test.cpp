// Integration tests of the postgres_sink plugin against a real PostgreSQL
// (PG_DSN from scripts/services.sh env), driving the sink class directly.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <initializer_list>
#include <latch>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <rdconnect/plugin.hpp>

#include "child_process.hpp"
#include "postgres_sink.hpp"

namespace rdconnect::postgres_sink {
namespace {

constexpr const char* kUuidA = "00000000-0000-4000-8000-00000000000a";
constexpr const char* kUuidB = "00000000-0000-4000-8000-00000000000b";
constexpr const char* kUuidC = "00000000-0000-4000-8000-00000000000c";

// An rdc_host that keeps the record errors the plugin reports (through
// record_failed, ABI 1.1), and refuses them when told to.
class FakeHost {
 public:
  FakeHost()
      : raw_{sizeof(rdc_host), this,          "orders-sink", &log,
             &record_error,    &record_failed} {}
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  Host host() const { return Host(&raw_); }

  std::vector<std::string> record_errors() const {
    std::lock_guard lock(mutex_);
    return record_errors_;
  }
  std::vector<int64_t> failed_offsets() const {
    std::lock_guard lock(mutex_);
    return failed_offsets_;
  }
  /// How many messages logged so far contain `text`.
  std::size_t logged(std::string_view text) const {
    std::lock_guard lock(mutex_);
    return std::ranges::count_if(logged_, [&](const std::string& message) {
      return message.find(text) != std::string::npos;
    });
  }
  /// Answer RDC_FATAL from now on, as a host whose dead-letter topic
  /// refuses the record.
  void refuse_failed_records() { refuse_ = true; }

 private:
  static void log(void* opaque, rdc_log_level, const char* message) {
    auto* self = static_cast<FakeHost*>(opaque);
    std::lock_guard lock(self->mutex_);
    self->logged_.emplace_back(message);
  }
  static void record_error(void*, const rdc_record*, const char*) {
    ADD_FAILURE() << "the sink should use record_failed on an ABI 1.1 host";
  }
  static rdc_status record_failed(void* opaque, const rdc_record* record,
                                  const char* message, char* errstr,
                                  size_t errstr_size) {
    auto* self = static_cast<FakeHost*>(opaque);
    std::lock_guard lock(self->mutex_);
    self->record_errors_.emplace_back(message);
    self->failed_offsets_.push_back(record->offset);
    if (!self->refuse_) return RDC_OK;
    std::snprintf(errstr, errstr_size, "refused by the test host");
    return RDC_FATAL;
  }

  rdc_host raw_;
  mutable std::mutex mutex_;
  std::vector<std::string> record_errors_;
  std::vector<int64_t> failed_offsets_;
  std::vector<std::string> logged_;
  std::atomic<bool> refuse_{false};
};

struct TestRecord {
  int32_t partition;
  int64_t offset;
  std::optional<std::string> key;
  std::optional<std::string> value;
};

// Owns the bytes of a batch and hands out the host's views of it.
class Batch {
 public:
  Batch(std::initializer_list<TestRecord> records) : records_(records) {
    for (const TestRecord& record : records_) {
      rdc_record view{};
      view.topic = "orders";
      view.partition = record.partition;
      view.offset = record.offset;
      view.timestamp_ms = 1700000000000 + record.offset;
      if (record.key) view.key = {record.key->data(), record.key->size()};
      if (record.value)
        view.value = {record.value->data(), record.value->size()};
      views_.push_back(view);
    }
  }
  Records records() const { return Records(views_); }

 private:
  std::vector<TestRecord> records_;
  std::vector<rdc_record> views_;
};

class PostgresSinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dsn = std::getenv("PG_DSN");
    ASSERT_NE(dsn, nullptr)
        << "PG_DSN is not set: start PostgreSQL with `scripts/services.sh up` "
           "and export the variables of `scripts/services.sh env`";
    dsn_ = dsn;
    // Lower case, so that the tests' own SQL needs no quoting.
    static int test_number = 0;
    schema_ = "pgsink_test" + std::to_string(++test_number) + "_" +
              std::to_string(getpid());
    admin_ = std::make_unique<pqxx::connection>(dsn_);
    drop_schema();
  }

  void TearDown() override {
    if (admin_) drop_schema();
  }

  void drop_schema() {
    pqxx::work tx(*admin_);
    tx.exec0("DROP SCHEMA IF EXISTS " + tx.quote_name(schema_) + " CASCADE");
    tx.commit();
  }

  // The config the host would pass, for this test's schema.
  class SinkConfig {
   public:
    SinkConfig(
        const PostgresSinkTest& test,
        std::initializer_list<std::pair<std::string, std::string>> overrides) {
      std::map<std::string, std::string> merged = {
          {"dsn", test.dsn_},
          {"table", "orders"},
          {"schema", test.schema_},
          {"layout", "jsonb"},
          {"mode", "upsert"},
          {"key_column", "key"},
          {"key_type", "infer"},
          {"delete_on_tombstone", "true"},
          {"batch_max_records", "10000"},
          {"batch_max_ms", "600000"},
          {"auto_create", "true"},
          {"auto_evolve", "true"},
          {"exactly_once", "true"}};
      for (const auto& [key, value] : overrides) merged[key] = value;
      strings_.assign(merged.begin(), merged.end());
      for (const auto& [key, value] : strings_) {
        values_.push_back({key.c_str(), value.c_str()});
      }
    }
    Config config() const { return Config(values_.data(), values_.size()); }

   private:
    std::vector<std::pair<std::string, std::string>> strings_;
    std::vector<rdc_config_value> values_;
  };

  std::unique_ptr<PostgresSink> make_sink(
      std::initializer_list<std::pair<std::string, std::string>> overrides =
          {}) {
    const SinkConfig config(*this, overrides);
    return std::make_unique<PostgresSink>(config.config(), host_.host());
  }

  // Every row of the target as "key|value|partition|offset", by key then
  // offset.
  std::vector<std::string> rows() {
    pqxx::read_transaction tx(*admin_);
    std::vector<std::string> found;
    for (const auto& row : tx.exec(
             "SELECT coalesce(key::text, 'NULL') || '|' || "
             "coalesce(value::text, "
             "'NULL') || '|' || kafka_partition || '|' || kafka_offset FROM " +
             tx.quote_name(schema_) +
             ".orders ORDER BY kafka_partition, "
             "kafka_offset")) {
      found.push_back(row[0].as<std::string>());
    }
    return found;
  }

  // A sink that has written one record (offset 0, key kUuidA), so that its
  // table exists with a uuid key column.
  std::unique_ptr<PostgresSink> sink_with_first_row() {
    auto sink = make_sink();
    const Batch first = {{0, 0, kUuidA, R"({"v":1})"}};
    sink->put(first.records());
    sink->flush();
    return sink;
  }

  // An operator's CHECK constraint on the target: value v below 100.
  void add_small_v_constraint() {
    pqxx::work tx(*admin_);
    tx.exec0("ALTER TABLE " + schema_ +
             ".orders ADD CONSTRAINT small_v CHECK ((value->>'v')::numeric < "
             "100)");
    tx.commit();
  }

  // PG_DSN with application_name set, so that terminate_backend() finds
  // the sink's connection.
  std::string dsn_named(const std::string& application) const {
    const std::string separator =
        dsn_.find("://") == std::string::npos
            ? " "
            : (dsn_.find('?') == std::string::npos ? "?" : "&");
    return dsn_ + separator + "application_name=" + application;
  }

  // Ends the one backend of dsn_named(application_), as a server restart
  // or a network cut would.
  void terminate_backend() {
    pqxx::work tx(*admin_);
    const pqxx::row terminated = tx.exec_params1(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
        " WHERE application_name = $1",
        application_);
    EXPECT_EQ(terminated[0].as<int>(), 1);
    tx.commit();
  }

  // The table holds exactly `expected` (see rows()), partition 0's stored
  // next offset is `next_offset`, and no record was refused.
  void expect_written(const std::vector<std::string>& expected,
                      int64_t next_offset) {
    EXPECT_EQ(rows(), expected);
    EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ +
                     ".rdconnect_offsets WHERE kafka_partition = 0"),
              std::to_string(next_offset));
    EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  }

  std::size_t row_count() {
    return std::stoul(scalar("SELECT count(*) FROM " + schema_ + ".orders"));
  }

  std::vector<std::string> column_types();
  // The first column of every row of `query`, NULL as "NULL".
  std::vector<std::string> texts(const std::string& query);

  std::string scalar(const std::string& query) {
    pqxx::read_transaction tx(*admin_);
    return tx.exec1(query)[0].as<std::string>();
  }

  std::string dsn_;
  std::string schema_;
  const std::string application_ = "pgsink-test-" + std::to_string(getpid());
  std::unique_ptr<pqxx::connection> admin_;
  FakeHost host_;
};

TEST_F(PostgresSinkTest, UpsertKeepsTheLastRecordPerKeyAndDeletesTombstones) {
  auto sink = make_sink();
  const Batch first = {
      {0, 0, kUuidA, R"({"v":1})"}, {0, 1, kUuidB, R"({"v":1})"},
      {0, 2, kUuidA, R"({"v":2})"}, {0, 3, kUuidC, R"({"v":1})"},
      {0, 4, kUuidB, std::nullopt}, {0, 5, kUuidC, std::nullopt},
      {0, 6, kUuidC, R"({"v":3})"}};
  sink->put(first.records());
  sink->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        std::string(kUuidA) + R"(|{"v": 2}|0|2)",
                        std::string(kUuidC) + R"(|{"v": 3}|0|6)"}));
  EXPECT_EQ(scalar("SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                   "WHERE attrelid = '" +
                   schema_ +
                   ".orders'::regclass AND "
                   "attname = 'key'"),
            "uuid");

  const Batch second = {{0, 7, kUuidA, std::nullopt},
                        {0, 8, kUuidB, R"({"v":9})"},
                        {0, 9, kUuidC, std::nullopt}};
  sink->put(second.records());
  sink->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{std::string(kUuidB) +
                                              R"(|{"v": 9}|0|8)"}));
  EXPECT_EQ(scalar("SELECT kafka_timestamp = timestamptz 'epoch' + "
                   "1700000000008 * interval '1 millisecond' FROM " +
                   schema_ + ".orders"),
            "t");
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
}

// Upsert COPYs a batch straight into the table while none of its keys is
// there yet; the key's constraint tells when one is, and the batch is
// merged instead. Either way the rows and offsets are the same.
constexpr std::string_view kMerged = "merging it instead";

TEST_F(PostgresSinkTest, UpsertCopiesABatchOfNewKeysStraightIntoTheTable) {
  auto sink = make_sink();
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"},
                       {1, 5, kUuidC, R"({"v":3})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(host_.logged(kMerged), 0u);
  expect_written({std::string(kUuidA) + R"(|{"v": 1}|0|0)",
                  std::string(kUuidB) + R"(|{"v": 2}|0|1)",
                  std::string(kUuidC) + R"(|{"v": 3}|1|5)"},
                 2);
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ +
                   ".rdconnect_offsets WHERE kafka_partition = 1"),
            "6");
}

TEST_F(PostgresSinkTest, UpsertMergesABatchWithAKeyAlreadyInTheTable) {
  auto sink = sink_with_first_row();
  const Batch updates = {{0, 1, kUuidB, R"({"v":1})"},
                         {0, 2, kUuidA, R"({"v":2})"}};
  sink->put(updates.records());
  sink->flush();
  EXPECT_EQ(host_.logged(kMerged), 1u);
  expect_written({std::string(kUuidB) + R"(|{"v": 1}|0|1)",
                  std::string(kUuidA) + R"(|{"v": 2}|0|2)"},
                 3);
}

// Two spellings of one UUID are one key: the COPY meets it twice, and the
// merge keeps the later record.
TEST_F(PostgresSinkTest, UpsertMergesAKeyRepeatedInOneBatchSpelledTwoWays) {
  auto sink = make_sink();
  const Batch batch = {
      {0, 0, "00000000-0000-4000-8000-00000000000A", R"({"v":1})"},
      {0, 1, kUuidB, R"({"v":1})"},
      {0, 2, kUuidA, R"({"v":2})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(host_.logged(kMerged), 1u);
  expect_written({std::string(kUuidB) + R"(|{"v": 1}|0|1)",
                  std::string(kUuidA) + R"(|{"v": 2}|0|2)"},
                 3);
}

// A COPY would write a tombstone of a new key as a row with a null value:
// a batch with one goes to the merge, which deletes (or ignores) it.
TEST_F(PostgresSinkTest, UpsertMergesABatchWithATombstone) {
  auto sink = make_sink();
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, std::nullopt}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(host_.logged(kMerged), 0u);
  expect_written({std::string(kUuidA) + R"(|{"v": 1}|0|0)"}, 2);
}

// The writer thread takes the same path: its batch of an update is merged,
// not given back, and the next batch is written after it.
TEST_F(PostgresSinkTest, UpsertMergesAnUpdateWrittenBehind) {
  auto sink = make_sink({{"batch_max_records", "2"}});
  const Batch first = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":1})"}};
  const Batch update = {{0, 2, kUuidA, R"({"v":2})"},
                        {0, 3, kUuidC, R"({"v":1})"}};
  const Batch last = {{0, 4, kUuidB, R"({"v":2})"}};
  sink->put(first.records());
  sink->put(update.records());
  sink->put(last.records());
  EXPECT_TRUE(rdconnect::testing::wait_for(
      [&] { return host_.logged(kMerged) == 1; }, std::chrono::seconds(30)));
  sink->flush();
  expect_written({std::string(kUuidA) + R"(|{"v": 2}|0|2)",
                  std::string(kUuidC) + R"(|{"v": 1}|0|3)",
                  std::string(kUuidB) + R"(|{"v": 2}|0|4)"},
                 5);
}

TEST_F(PostgresSinkTest, InsertModeWritesEveryRecordOnceEvenWhenReplayed) {
  auto sink = make_sink({{"mode", "insert"}, {"exactly_once", "false"}});
  const Batch batch = {{0, 0, "user-1", R"({"n":1})"},
                       {0, 1, "user-1", R"({"n":2})"},
                       {1, 0, std::nullopt, R"("plain")"},
                       {1, 1, "user-1", std::nullopt}};
  sink->put(batch.records());
  sink->flush();
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        R"(user-1|{"n": 1}|0|0)", R"(user-1|{"n": 2}|0|1)",
                        R"(NULL|"plain"|1|0)", "user-1|NULL|1|1"}));
}

TEST_F(PostgresSinkTest, ANewInstanceResumesFromTheStoredOffsets) {
  {
    auto sink = make_sink();
    const Batch batch = {{0, 10, kUuidA, R"({"v":1})"},
                         {0, 11, kUuidA, R"({"v":2})"},
                         {2, 40, kUuidB, R"({"v":1})"}};
    sink->put(batch.records());
    sink->flush();
  }
  auto restarted = make_sink();
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED},
      {"orders", 1, RDC_OFFSET_COMMITTED},
      {"orders", 2, RDC_OFFSET_COMMITTED}};
  restarted->open(partitions);
  EXPECT_EQ(partitions[0].offset, 12);
  EXPECT_EQ(partitions[1].offset, 0);
  EXPECT_EQ(partitions[2].offset, 41);

  // A replay of records already written must not bring an old value back.
  const Batch replay = {{0, 10, kUuidA, R"({"v":1})"}};
  restarted->put(replay.records());
  restarted->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        std::string(kUuidA) + R"(|{"v": 2}|0|11)",
                        std::string(kUuidB) + R"(|{"v": 1}|2|40)"}));
}

TEST_F(PostgresSinkTest, AFlushCutByATerminatedBackendIsRetriedWithoutDoubles) {
  auto sink = make_sink({{"mode", "insert"}, {"dsn", dsn_named(application_)}});
  const Batch first = {{0, 0, "k", R"(1)"}};
  sink->put(first.records());
  sink->flush();

  const Batch second = {{0, 1, "k", R"(2)"}, {0, 2, "k", R"(3)"}};
  sink->put(second.records());
  terminate_backend();
  EXPECT_THROW(sink->flush(), RetriableError);
  sink->flush();
  EXPECT_EQ(rows(),
            (std::vector<std::string>{"k|1|0|0", "k|2|0|1", "k|3|0|2"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ +
                   ".rdconnect_offsets WHERE connector = 'orders-sink'"),
            "3");
}

TEST_F(PostgresSinkTest, TwoInstancesStartingAtOnceShareOneMigrationHistory) {
  std::latch start(2);
  std::vector<std::string> failures(2);
  auto run = [&](int index) {
    try {
      auto sink = make_sink();
      const Batch batch = {{index, 0, kUuidA + std::string(), R"({"v":1})"}};
      start.arrive_and_wait();
      sink->put(batch.records());
      sink->flush();
    } catch (const std::exception& error) {
      failures[index] = error.what();
    }
  };
  std::thread first(run, 0);
  std::thread second(run, 1);
  first.join();
  second.join();
  EXPECT_EQ(failures, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(scalar("SELECT string_agg(id, ',' ORDER BY id) FROM " + schema_ +
                   ".rdconnect_migrations"),
            "orders:0001,rdconnect_offsets:0001,rdconnect_offsets:0002");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".rdconnect_offsets"),
            "2");
}

TEST_F(PostgresSinkTest, BadRecordsAreReportedAndTheOthersWritten) {
  auto sink = sink_with_first_row();

  const Batch second = {{0, 1, kUuidB, R"({"v":1})"},
                        {0, 2, kUuidC, "{not json"},
                        {0, 3, "not-a-uuid", R"({"v":1})"},
                        {0, 4, kUuidC, R"({"v":4})"}};
  sink->put(second.records());
  sink->flush();
  const std::vector<std::string> errors = host_.record_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(
      errors[0].rfind("record orders[0]@2 cannot be written to \"" + schema_ +
                          "\".\"orders\": value is not valid "
                          "JSON",
                      0),
      0u)
      << errors[0];
  EXPECT_EQ(errors[1], "record orders[0]@3 cannot be written to \"" + schema_ +
                           "\".\"orders\": key is not a UUID, but column "
                           "\"key\" of \"" +
                           schema_ + "\".\"orders\" is of type uuid");
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        std::string(kUuidA) + R"(|{"v": 1}|0|0)",
                        std::string(kUuidB) + R"(|{"v": 1}|0|1)",
                        std::string(kUuidC) + R"(|{"v": 4}|0|4)"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "5");
}

// Records PostgreSQL refuses only when it writes them (here a CHECK
// constraint of the operator's) are isolated by halving the batch: each is
// reported, with an excerpt of the server's message and no record content,
// and every other record lands.
TEST_F(PostgresSinkTest, RecordsTheServerRefusesAreIsolatedAndTheRestWritten) {
  auto sink = sink_with_first_row();
  add_small_v_constraint();
  const std::string pad(5000, 'x');
  const std::string big = R"({"v":500,"pad":")" + pad + R"("})";
  const auto key = [](int n) {
    return "00000000-0000-4000-8000-00000000010" + std::to_string(n);
  };
  const Batch second = {
      {0, 1, key(1), R"({"v":1})"}, {0, 2, key(2), big},
      {0, 3, key(3), R"({"v":3})"}, {0, 4, key(4), R"({"v":"seven"})"},
      {0, 5, key(5), R"({"v":5})"}, {0, 6, key(6), R"({"v":6,"n":1e400})"}};
  sink->put(second.records());
  EXPECT_EQ(host_.failed_offsets(), std::vector<int64_t>{});
  sink->flush();

  EXPECT_EQ(host_.failed_offsets(), (std::vector<int64_t>{2, 4}));
  const std::vector<std::string> errors = host_.record_errors();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(
      errors[0].rfind("record orders[0]@2 cannot be written to \"" + schema_ +
                          "\".\"orders\": PostgreSQL refused it: new "
                          "row for relation \"orders\" violates check "
                          "constraint \"small_v\" (SQLSTATE 23514)",
                      0),
      0u)
      << errors[0];
  EXPECT_EQ(errors[0].find("xxxxxxxx"), std::string::npos) << errors[0];
  EXPECT_NE(errors[1].find("(SQLSTATE 22P02)"), std::string::npos) << errors[1];
  EXPECT_EQ(texts("SELECT kafka_offset::text FROM " + schema_ +
                  ".orders ORDER BY kafka_offset"),
            (std::vector<std::string>{"0", "1", "3", "5", "6"}));
  EXPECT_EQ(scalar("SELECT value->>'n' FROM " + schema_ +
                   ".orders WHERE kafka_offset = 6"),
            "1" + std::string(400, '0'));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "7");
}

// A host that cannot dead-letter a record the server refused fails the
// flush: nothing of the batch is written and the stored offset stays put.
TEST_F(PostgresSinkTest, ARefusedRecordTheHostCannotTakeFailsTheWholeFlush) {
  auto sink = sink_with_first_row();
  add_small_v_constraint();
  host_.refuse_failed_records();
  const Batch second = {{0, 1, kUuidB, R"({"v":1})"},
                        {0, 2, kUuidC, R"({"v":500})"}};
  sink->put(second.records());
  EXPECT_THROW(sink->flush(), std::runtime_error);
  EXPECT_EQ(host_.failed_offsets(), std::vector<int64_t>{2});
  EXPECT_EQ(texts("SELECT kafka_offset::text FROM " + schema_ + ".orders"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "1");
}

// Caught before the database, at put(): a number numeric cannot hold and
// nesting deeper than the server parses.
TEST_F(PostgresSinkTest,
       NumbersAndNestingTheServerWouldRefuseAreReportedAtPut) {
  auto sink = make_sink();
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const Batch batch = {{0, 0, kUuidA, R"({"a":1e-20000})"},
                       {0, 1, kUuidB, deep},
                       {0, 2, kUuidC, R"({"a":1e400})"}};
  sink->put(batch.records());
  EXPECT_EQ(host_.failed_offsets(), (std::vector<int64_t>{0, 1}));
  sink->flush();
  EXPECT_EQ(texts("SELECT kafka_offset::text FROM " + schema_ + ".orders"),
            std::vector<std::string>{"2"});
}

TEST_F(PostgresSinkTest, AnUnreachableServerIsRetriableAndHidesThePassword) {
  const SinkConfig config(
      *this, {{"dsn", "postgresql://nobody:TopSecret42@127.0.0.1:1/none"}});
  PostgresSink sink(config.config(), host_.host());
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"}};
  try {
    sink.put(batch.records());
    FAIL() << "put() succeeded without a server";
  } catch (const RetriableError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("TopSecret42"), std::string::npos) << message;
    EXPECT_NE(message.find("postgresql://nobody@127.0.0.1:1/none"),
              std::string::npos)
        << message;
  }
}

// validate --connect: the check logs in, writes nothing, and says whether
// the table is there; without auto_create a missing one is a failure.
TEST_F(PostgresSinkTest, TheConnectionCheckLooksForTheTableAndWritesNothing) {
  const SinkConfig creating(*this, {});
  const std::string missing = PostgresSink::check_connection(
      creating.config(), std::chrono::seconds(5));
  EXPECT_THAT(missing,
              ::testing::MatchesRegex(
                  "PostgreSQL [0-9.]+ at postgresql://.*; table \"" + schema_ +
                  "\"\\.\"orders\" does not exist yet and will be "
                  "created"));
  EXPECT_EQ(texts("SELECT count(*) FROM information_schema.tables WHERE "
                  "table_schema = '" +
                  schema_ + "'"),
            std::vector<std::string>{"0"});

  const SinkConfig strict(*this, {{"auto_create", "false"}});
  try {
    PostgresSink::check_connection(strict.config(), std::chrono::seconds(5));
    FAIL() << "a missing table passed without auto_create";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(),
                ::testing::HasSubstr("\"orders\", and auto_create = false; "
                                     "create it, or set auto_create = true"));
  }

  sink_with_first_row();
  EXPECT_THAT(
      PostgresSink::check_connection(strict.config(), std::chrono::seconds(5)),
      ::testing::EndsWith("\"orders\" exists"));
}

TEST_F(PostgresSinkTest, AFailedLoginInTheCheckHidesThePassword) {
  const SinkConfig config(
      *this, {{"dsn", "postgresql://nobody:TopSecret42@127.0.0.1:1/none"}});
  try {
    PostgresSink::check_connection(config.config(), std::chrono::seconds(2));
    FAIL() << "logged in without a server";
  } catch (const std::runtime_error& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find("TopSecret42"), std::string::npos) << message;
    EXPECT_THAT(message,
                ::testing::HasSubstr(
                    "cannot log in to postgresql://nobody@127.0.0.1:1/"
                    "none: connection to server at \"127.0.0.1\", "
                    "port 1 failed: Connection refused Is the server"));
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

// The target's columns as "name data_type", in table order.
std::vector<std::string> PostgresSinkTest::column_types() {
  return texts(
      "SELECT column_name || ' ' || data_type FROM information_schema.columns"
      " WHERE table_schema = '" +
      schema_ + "' AND table_name = 'orders' ORDER BY ordinal_position");
}

std::vector<std::string> PostgresSinkTest::texts(const std::string& query) {
  pqxx::read_transaction tx(*admin_);
  std::vector<std::string> found;
  for (const auto& row : tx.exec(query)) {
    found.push_back(row[0].is_null() ? "NULL" : row[0].as<std::string>());
  }
  return found;
}

TEST_F(PostgresSinkTest, ColumnsLayoutInfersOneTypedColumnPerField) {
  auto sink = make_sink({{"layout", "columns"}});
  const Batch batch = {
      {0, 0, kUuidA,
       R"({"name":"Ada","id":"00000000-0000-4000-8000-0000000000ff",)"
       R"("age":36,"score":9.5,"active":true,"tags":["x",1],)"
       R"("address":{"city":"London"},"born":"1815-12-10T08:00:00.5+01:00",)"
       R"("note":null})"},
      {0, 1, kUuidB,
       R"({"name":"Bob","age":null,"score":7,"tags":null,"born":null,)"
       R"("note":null})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  EXPECT_EQ(
      column_types(),
      (std::vector<std::string>{
          "key uuid", "kafka_topic text", "kafka_partition integer",
          "kafka_offset bigint", "kafka_timestamp timestamp with time zone",
          "name text", "id uuid", "age bigint", "score double precision",
          "active boolean", "tags jsonb", "address jsonb",
          "born timestamp with time zone"}));
  EXPECT_EQ(
      texts("SELECT concat_ws('|', key, name, id, age, score, active, tags,"
            " address, born AT TIME ZONE 'UTC', tags IS NULL, kafka_offset)"
            " FROM " +
            schema_ + ".orders ORDER BY key"),
      (std::vector<std::string>{
          std::string(kUuidA) +
              R"(|Ada|00000000-0000-4000-8000-0000000000ff|36|9.5|t|)"
              R"(["x", 1]|{"city": "London"}|1815-12-10 07:00:00.5|f|0)",
          std::string(kUuidB) + "|Bob|7|t|1"}));
}

TEST_F(PostgresSinkTest, ColumnsLayoutUpsertKeepsTheLastRecordPerKey) {
  auto sink = make_sink({{"layout", "columns"}});
  const Batch first = {{0, 0, kUuidA, R"({"n":1,"s":"a"})"},
                       {0, 1, kUuidB, R"({"n":1,"s":"b"})"},
                       {0, 2, kUuidA, R"({"n":2})"},
                       {0, 3, kUuidC, R"({"n":1,"s":"c"})"},
                       {0, 4, kUuidB, std::nullopt},
                       {0, 5, kUuidC, std::nullopt},
                       {0, 6, kUuidC, R"({"n":3,"s":"c3"})"}};
  sink->put(first.records());
  sink->flush();
  const std::string rows_query =
      "SELECT concat_ws('|', key, coalesce(n::text, 'NULL'),"
      " coalesce(s, 'NULL'), kafka_offset) FROM " +
      schema_ + ".orders ORDER BY key";
  EXPECT_EQ(texts(rows_query),
            (std::vector<std::string>{std::string(kUuidA) + "|2|NULL|2",
                                      std::string(kUuidC) + "|3|c3|6"}));

  const Batch second = {{0, 7, kUuidA, std::nullopt},
                        {0, 8, kUuidB, R"({"s":"b9"})"},
                        {0, 9, kUuidC, R"({"n":4})"}};
  sink->put(second.records());
  sink->flush();
  EXPECT_EQ(texts(rows_query),
            (std::vector<std::string>{std::string(kUuidB) + "|NULL|b9|8",
                                      std::string(kUuidC) + "|4|NULL|9"}));
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
}

TEST_F(PostgresSinkTest, ColumnsLayoutAddsAColumnForANewFieldAsAMigration) {
  auto sink = make_sink({{"layout", "columns"}, {"mode", "insert"}});
  const Batch first = {{0, 0, "k", R"({"a":1})"}};
  sink->put(first.records());
  sink->flush();
  const Batch second = {{0, 1, "k", R"({"a":2,"b":"new","c":null})"},
                        {0, 2, "k", R"({"a":3})"}};
  sink->put(second.records());
  sink->flush();
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  EXPECT_EQ(
      column_types(),
      (std::vector<std::string>{
          "key text", "kafka_topic text", "kafka_partition integer",
          "kafka_offset bigint", "kafka_timestamp timestamp with time zone",
          "a bigint", "b text"}));
  EXPECT_EQ(texts("SELECT concat_ws('|', a, coalesce(b, 'NULL')) FROM " +
                  schema_ + ".orders ORDER BY kafka_offset"),
            (std::vector<std::string>{"1|NULL", "2|new", "3|NULL"}));
  EXPECT_EQ(texts("SELECT id || ' ' || description FROM " + schema_ +
                  ".rdconnect_migrations ORDER BY id"),
            (std::vector<std::string>{
                "orders:0001 create \"" + schema_ +
                    "\".\"orders\" (layout=columns, key \"key\" text, 1 field "
                    "column(s))",
                "orders:0002 add \"b\" text to \"" + schema_ + "\".\"orders\"",
                "rdconnect_offsets:0001 create the offsets table of "
                "exactly-once sinks",
                "rdconnect_offsets:0002 key the offsets by target table ('' "
                "for older rows)"}));
}

TEST_F(PostgresSinkTest, ColumnsLayoutWithoutAutoEvolveRejectsNewFields) {
  auto sink = make_sink({{"layout", "columns"}, {"auto_evolve", "false"}});
  const Batch first = {{0, 0, kUuidA, R"({"a":1})"}};
  sink->put(first.records());
  sink->flush();
  const Batch second = {{0, 1, kUuidB, R"({"a":2,"extra":true})"},
                        {0, 2, kUuidC, R"({"a":3})"}};
  sink->put(second.records());
  sink->flush();
  EXPECT_EQ(host_.record_errors(),
            (std::vector<std::string>{
                "record orders[0]@1 cannot be written to \"" + schema_ +
                "\".\"orders\": field \"extra\" has no column in \"" + schema_ +
                "\".\"orders\" and auto_evolve is off; add the column or set "
                "auto_evolve = true"}));
  EXPECT_EQ(texts("SELECT a FROM " + schema_ + ".orders ORDER BY a"),
            (std::vector<std::string>{"1", "3"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "3");
}

TEST_F(PostgresSinkTest, ColumnsLayoutReportsTypeConflictsAndWritesTheRest) {
  auto sink = make_sink({{"layout", "columns"}});
  const Batch first = {
      {0, 0, kUuidA, R"({"n":1,"id":")" + std::string(kUuidA) + R"("})"}};
  sink->put(first.records());
  sink->flush();
  const Batch second = {{0, 1, kUuidB, R"({"n":"two"})"},
                        {0, 2, kUuidB, R"({"id":"not-a-uuid"})"},
                        {0, 3, kUuidC, "[1,2]"},
                        {0, 4, kUuidC, R"({"kafka_topic":"x"})"},
                        {0, 5, kUuidC, R"({"n":5,"id":null})"}};
  sink->put(second.records());
  sink->flush();
  const std::string table = "\"" + schema_ + "\".\"orders\"";
  EXPECT_EQ(host_.record_errors(),
            (std::vector<std::string>{
                "record orders[0]@1 cannot be written to " + table +
                    ": field \"n\" holds a string, which does not fit column "
                    "\"n\" of type bigint",
                "record orders[0]@2 cannot be written to " + table +
                    ": field \"id\" holds a string, which does not fit column "
                    "\"id\" of type uuid",
                "record orders[0]@3 cannot be written to " + table +
                    ": value is not a JSON object, which layout=columns needs",
                "record orders[0]@4 cannot be written to " + table +
                    ": field \"kafka_topic\" has the name of one of the "
                    "sink's own columns (\"key\", kafka_topic, "
                    "kafka_partition, kafka_offset, kafka_timestamp); rename "
                    "the field, or the key column with key_column"}));
  EXPECT_EQ(texts("SELECT concat_ws('|', key, n, coalesce(id::text, 'NULL'))"
                  " FROM " +
                  schema_ + ".orders ORDER BY key"),
            (std::vector<std::string>{
                std::string(kUuidA) + "|1|" + std::string(kUuidA),
                std::string(kUuidC) + "|5|NULL"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "6");
}

TEST_F(PostgresSinkTest, ColumnsLayoutQuotesOddFieldNames) {
  auto sink = make_sink({{"layout", "columns"}, {"mode", "insert"}});
  const Batch batch = {{0, 0, "k",
                        R"({"Mixed Case":1,"it's":"q","back\\slash":"b",)"
                        R"("x\"; DROP TABLE orders; --":true})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  EXPECT_EQ(texts("SELECT concat_ws('|', \"Mixed Case\", \"it's\","
                  " \"back\\slash\", \"x\"\"; DROP TABLE orders; --\") FROM " +
                  schema_ + ".orders"),
            (std::vector<std::string>{"1|q|b|t"}));
}

// The bug the table-keyed offsets fix: the same connector, re-configured to
// another table, resumed from the first table's offsets and wrote nothing.
TEST_F(PostgresSinkTest,
       AConnectorPointedAtAnotherTableWritesEveryRecordThere) {
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"},
                       {0, 2, kUuidC, R"({"v":3})"}};
  {
    auto sink = make_sink();
    std::vector<rdc_topic_partition> partitions = {
        {"orders", 0, RDC_OFFSET_COMMITTED}};
    sink->open(partitions);
    EXPECT_EQ(partitions[0].offset, 0);
    sink->put(batch.records());
    sink->flush();
  }
  auto moved = make_sink({{"table", "orders_b"}});
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  moved->open(partitions);
  EXPECT_EQ(partitions[0].offset, 0);
  moved->put(batch.records());
  moved->flush();

  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders_b"), "3");
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "3");
  EXPECT_EQ(texts("SELECT target_table || '=' || next_offset FROM " + schema_ +
                  ".rdconnect_offsets ORDER BY target_table"),
            (std::vector<std::string>{"\"" + schema_ + "\".\"orders\"=3",
                                      "\"" + schema_ + "\".\"orders_b\"=3"}));
}

// A declared key type makes the table's shape known before any record:
// open() creates it, so a connector whose topic is still empty has its
// table, and the first batch just writes into it.
TEST_F(PostgresSinkTest, ADeclaredKeyTypeCreatesTheTableAtOpen) {
  auto sink = make_sink({{"key_type", "text"}, {"mode", "insert"}});
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  sink->open(partitions);
  EXPECT_EQ(column_types(),
            (std::vector<std::string>{
                "key text", "value jsonb", "kafka_topic text",
                "kafka_partition integer", "kafka_offset bigint",
                "kafka_timestamp timestamp with time "
                "zone"}));
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "0");
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"}, {0, 1, "k", "{}"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "2");
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
}

// Inferring needs records: open() leaves the table to the first batch.
TEST_F(PostgresSinkTest, AnInferredKeyTypeCreatesTheTableWithTheFirstBatch) {
  auto sink = make_sink();
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  sink->open(partitions);
  EXPECT_EQ(scalar("SELECT to_regclass('" + schema_ + ".orders') IS NULL"),
            "t");
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(column_types().front(), "key uuid");
}

// A declared type is a promise about the table: an existing key column of
// another type stops the sink, naming both, rather than be written anyway.
TEST_F(PostgresSinkTest, ADeclaredKeyTypeMustMatchTheExistingTable) {
  sink_with_first_row();
  auto sink = make_sink({{"key_type", "text"}});
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  try {
    sink->open(partitions);
    ADD_FAILURE() << "open() accepted a uuid key column for key_type = text";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "postgres_sink: key_type is text, but key column \"key\" of \"" +
                  schema_ +
                  "\".\"orders\" is of type uuid; set key_type to "
                  "match it, or to \"infer\"");
  }
}

// A schema whose offsets table still has the shape of rdconnect_offsets:0001,
// with rows of two connectors, as a sink from before 0002 left it.
class OffsetsUpgradeTest : public PostgresSinkTest {
 protected:
  void SetUp() override {
    PostgresSinkTest::SetUp();
    const OffsetStore store({schema_, "orders"}, "orders-sink");
    const std::vector<Migration> all = store.migrations();
    ASSERT_EQ(all.size(), 2u);
    apply_migrations(*admin_, schema_, std::span(all).first(1));
    pqxx::work tx(*admin_);
    tx.exec0("INSERT INTO " + schema_ +
             ".rdconnect_offsets (connector, topic, kafka_partition,"
             " next_offset) VALUES ('orders-sink', 'orders', 0, 12),"
             " ('other-sink', 'orders', 0, 5)");
    tx.commit();
  }

  void create_orders_table() {
    pqxx::work tx(*admin_);
    tx.exec0("CREATE TABLE " + schema_ +
             ".orders (key uuid PRIMARY KEY, value jsonb,"
             " kafka_topic text NOT NULL, kafka_partition integer NOT NULL,"
             " kafka_offset bigint NOT NULL, kafka_timestamp timestamptz)");
    tx.commit();
  }

  // Every offsets row as "connector|target_table|partition|next_offset".
  std::vector<std::string> offset_rows() {
    return texts(
        "SELECT concat_ws('|', connector, target_table,"
        " kafka_partition, next_offset) FROM " +
        schema_ + ".rdconnect_offsets ORDER BY connector, target_table");
  }
};

TEST_F(OffsetsUpgradeTest, RowsGoToTheConfiguredTableWhenItExists) {
  create_orders_table();
  auto sink = make_sink();
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}, {"orders", 1, RDC_OFFSET_COMMITTED}};
  sink->open(partitions);
  EXPECT_EQ(partitions[0].offset, 12);
  EXPECT_EQ(partitions[1].offset, 0);
  EXPECT_EQ(offset_rows(),
            (std::vector<std::string>{
                "orders-sink|\"" + schema_ + "\".\"orders\"|0|12",
                "other-sink||0|5"}));
  EXPECT_EQ(scalar("SELECT string_agg(id, ',' ORDER BY id) FROM " + schema_ +
                   ".rdconnect_migrations"),
            "rdconnect_offsets:0001,rdconnect_offsets:0002");
}

// The table of the old rows cannot be a table that does not exist: a new
// target is written from the start and the old rows are kept as they were.
TEST_F(OffsetsUpgradeTest, RowsAreNotTakenForATableThatDoesNotExist) {
  auto sink = make_sink();
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  sink->open(partitions);
  EXPECT_EQ(partitions[0].offset, 0);
  const Batch batch = {{0, 0, kUuidA, R"({"v":1})"}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "1");
  EXPECT_EQ(offset_rows(), (std::vector<std::string>{
                               "orders-sink||0|12",
                               "orders-sink|\"" + schema_ + "\".\"orders\"|0|1",
                               "other-sink||0|5"}));
}

// 0001 left its primary key unnamed; when rdconnect_offsets_pkey was taken
// PostgreSQL chose another name, and 0002 must still replace that key.
TEST_F(PostgresSinkTest, TheOffsetsKeyIsReplacedWhateverPostgresqlNamedIt) {
  {
    pqxx::work tx(*admin_);
    tx.exec0("CREATE SCHEMA " + schema_);
    tx.exec0("CREATE TABLE " + schema_ + ".rdconnect_offsets_pkey (x int)");
    tx.commit();
  }
  const OffsetStore store({schema_, "orders"}, "orders-sink");
  const std::vector<Migration> all = store.migrations();
  apply_migrations(*admin_, schema_, std::span(all).first(1));
  EXPECT_EQ(scalar("SELECT conname FROM pg_constraint WHERE conrelid = '" +
                   schema_ + ".rdconnect_offsets'::regclass AND contype = 'p'"),
            "rdconnect_offsets_pkey1");
  EXPECT_EQ(apply_migrations(*admin_, schema_, all), 1u);
  EXPECT_EQ(scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                   " WHERE conrelid = '" +
                   schema_ + ".rdconnect_offsets'::regclass AND contype = 'p'"),
            "PRIMARY KEY (connector, target_table, topic, kafka_partition)");
}

// Two instances of one connector flushing the same partition at once: a
// zombie (the partition's previous owner, still flushing after a rebalance)
// and the new owner. Whichever locks the partition's offsets second waits
// for the other's commit, then skips what it wrote: no row is doubled in
// insert mode (COPYed straight into the table), and in upsert mode the
// zombie's older values do not come back.
class ZombieWriterTest : public PostgresSinkTest,
                         public ::testing::WithParamInterface<const char*> {
 protected:
  // Holds the partition's offsets row until the returned transaction ends,
  // so that both flushes are waiting on it before either writes.
  std::unique_ptr<pqxx::work> hold_offsets(pqxx::connection& connection) {
    auto tx = std::make_unique<pqxx::work>(connection);
    tx->exec1("SELECT next_offset FROM " + schema_ +
              ".rdconnect_offsets FOR UPDATE");
    return tx;
  }

  // Backends of this test's schema waiting for a lock.
  int lock_waiters() {
    return std::stoi(
        scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type ="
               " 'Lock' AND position('" +
               schema_ + "' IN query) > 0"));
  }
};

TEST_P(ZombieWriterTest, TheWriterThatLocksSecondSkipsWhatTheFirstWrote) {
  const Batch first = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"},
                       {0, 2, kUuidC, R"({"v":3})"}};
  const Batch second = {{0, 3, kUuidA, R"({"v":4})"},
                        {0, 4, kUuidB, R"({"v":5})"},
                        {0, 5, kUuidC, R"({"v":6})"}};
  const Batch replayed = {
      {0, 0, kUuidA, R"({"v":1})"}, {0, 1, kUuidB, R"({"v":2})"},
      {0, 2, kUuidC, R"({"v":3})"}, {0, 3, kUuidA, R"({"v":4})"},
      {0, 4, kUuidB, R"({"v":5})"}, {0, 5, kUuidC, R"({"v":6})"}};
  auto owner = make_sink({{"mode", GetParam()}});
  auto zombie = make_sink({{"mode", GetParam()}});
  owner->put(first.records());
  owner->flush();
  owner->put(second.records());
  zombie->put(replayed.records());

  pqxx::connection holder(dsn_);
  std::unique_ptr<pqxx::work> held = hold_offsets(holder);
  std::vector<std::string> failures(2);
  auto flush = [&](PostgresSink& sink, std::string& failure) {
    try {
      sink.flush();
    } catch (const std::exception& error) {
      failure = error.what();
    }
  };
  std::thread owner_flush(flush, std::ref(*owner), std::ref(failures[0]));
  std::thread zombie_flush(flush, std::ref(*zombie), std::ref(failures[1]));
  const bool both_waiting = rdconnect::testing::wait_for(
      [&] { return lock_waiters() == 2; }, std::chrono::seconds(30));
  held->commit();
  owner_flush.join();
  zombie_flush.join();
  ASSERT_TRUE(both_waiting);

  EXPECT_EQ(failures, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "6");
  if (std::string(GetParam()) == "insert") {
    EXPECT_EQ(texts("SELECT string_agg(kafka_offset::text, ',' ORDER BY "
                    "kafka_offset) FROM " +
                    schema_ + ".orders"),
              std::vector<std::string>{"0,1,2,3,4,5"});
  } else {
    EXPECT_EQ(rows(), (std::vector<std::string>{
                          std::string(kUuidA) + "|{\"v\": 4}|0|3",
                          std::string(kUuidB) + "|{\"v\": 5}|0|4",
                          std::string(kUuidC) + "|{\"v\": 6}|0|5"}));
  }
}

INSTANTIATE_TEST_SUITE_P(BothModes, ZombieWriterTest,
                         ::testing::Values("insert", "upsert"));

// Rows in the table that the offsets do not account for (written with
// exactly_once off): COPYing straight into the table meets them, and the
// batch is written by the merge instead, which skips them as an insert
// always did, rather than fail the flush.
TEST_F(PostgresSinkTest, InsertModeSkipsRowsTheOffsetsDoNotAccountFor) {
  const Batch early = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"}};
  auto unstored = make_sink({{"mode", "insert"}, {"exactly_once", "false"}});
  unstored->put(early.records());
  unstored->flush();

  const Batch all = {{0, 0, kUuidA, R"({"v":1})"},
                     {0, 1, kUuidB, R"({"v":2})"},
                     {0, 2, kUuidC, R"({"v":3})"}};
  auto sink = make_sink({{"mode", "insert"}});
  std::vector<rdc_topic_partition> partitions = {
      {"orders", 0, RDC_OFFSET_COMMITTED}};
  sink->open(partitions);
  EXPECT_EQ(partitions[0].offset, 0);
  sink->put(all.records());
  sink->flush();
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
  EXPECT_EQ(scalar("SELECT count(*) FROM " + schema_ + ".orders"), "3");
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "3");
}

// A row COPYed straight into the table holds what the staged path would
// have computed: the key, the value as jsonb, the coordinates, and the
// record's timestamp to the millisecond.
TEST_F(PostgresSinkTest, InsertModeRowsHoldEveryColumn) {
  auto sink = make_sink({{"mode", "insert"}});
  const Batch batch = {{0, 7, kUuidA, R"({"v": [1, "x\ty"]})"},
                       {0, 8, std::nullopt, std::nullopt}};
  sink->put(batch.records());
  sink->flush();
  EXPECT_EQ(texts("SELECT concat_ws('|', coalesce(key::text, 'NULL'),"
                  " coalesce(value::text, 'NULL'), kafka_topic,"
                  " kafka_partition, kafka_offset, (extract(epoch FROM"
                  " kafka_timestamp) * 1000)::bigint) FROM " +
                  schema_ + ".orders ORDER BY kafka_offset"),
            (std::vector<std::string>{
                std::string(kUuidA) +
                    "|{\"v\": [1, \"x\\ty\"]}|orders|0|7|1700000000007",
                "NULL|NULL|orders|0|8|1700000000008"}));
}

// Writing behind (batch_max_records = 2): a full batch is handed to a
// thread of its own at the next put(), which buffers on meanwhile.

TEST_F(PostgresSinkTest, AFullBatchIsWrittenBehindBeforeTheFlush) {
  auto sink = make_sink({{"mode", "insert"}, {"batch_max_records", "2"}});
  const Batch first = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"}};
  const Batch second = {{0, 2, kUuidC, R"({"v":3})"}};
  sink->put(first.records());
  sink->put(second.records());
  EXPECT_TRUE(rdconnect::testing::wait_for([&] { return row_count() == 2; },
                                           std::chrono::seconds(30)));
  sink->flush();
  EXPECT_EQ(texts("SELECT kafka_offset::text FROM " + schema_ +
                  ".orders ORDER BY kafka_offset"),
            (std::vector<std::string>{"0", "1", "2"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "3");
}

// The writer thread reports nothing: a batch with a record PostgreSQL
// refuses is rolled back whole and given back, put() buffers on past the
// batch size, and the next flush() isolates and reports the record, so
// that its dead letter is acknowledged before anything past it commits.
TEST_F(PostgresSinkTest, ARecordRefusedBehindIsReportedByTheNextFlush) {
  auto sink = sink_with_first_row();
  add_small_v_constraint();
  auto pipelined = make_sink({{"batch_max_records", "2"}});
  const auto key = [](int n) {
    return "00000000-0000-4000-8000-00000000020" + std::to_string(n);
  };
  const Batch first = {{0, 1, key(1), R"({"v":1})"},
                       {0, 2, key(2), R"({"v":500})"}};
  const Batch second = {{0, 3, key(3), R"({"v":3})"},
                        {0, 4, key(4), R"({"v":4})"}};
  const Batch third = {{0, 5, key(5), R"({"v":5})"}};
  pipelined->put(first.records());
  pipelined->put(second.records());  // hands `first` off
  pipelined->put(third.records());   // finds it given back, buffers on
  EXPECT_EQ(host_.failed_offsets(), std::vector<int64_t>{});
  EXPECT_EQ(row_count(), 1u);
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "1");

  pipelined->flush();
  EXPECT_EQ(host_.failed_offsets(), std::vector<int64_t>{2});
  EXPECT_EQ(texts("SELECT kafka_offset::text FROM " + schema_ +
                  ".orders ORDER BY kafka_offset"),
            (std::vector<std::string>{"0", "1", "3", "4", "5"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "6");
}

TEST_F(PostgresSinkTest, ABatchWhoseWriteBehindFailedIsWrittenByTheFlush) {
  auto sink = make_sink({{"mode", "insert"},
                         {"batch_max_records", "2"},
                         {"dsn", dsn_named(application_)}});
  const Batch first = {{0, 0, "k", R"(1)"}};
  sink->put(first.records());
  sink->flush();

  terminate_backend();
  const Batch second = {{0, 1, "k", R"(2)"}, {0, 2, "k", R"(3)"}};
  const Batch third = {{0, 3, "k", R"(4)"}};
  sink->put(second.records());
  sink->put(third.records());  // hands `second` off, to a lost connection
  sink->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{"k|1|0|0", "k|2|0|1", "k|3|0|2",
                                              "k|4|0|3"}));
  EXPECT_EQ(scalar("SELECT next_offset FROM " + schema_ + ".rdconnect_offsets"),
            "4");
  EXPECT_EQ(host_.record_errors(), std::vector<std::string>{});
}

// close() waits for the batch being written: only then can a lost
// partition's records be dropped from what is still buffered.
TEST_F(PostgresSinkTest, ClosingAPartitionWaitsForTheBatchWrittenBehind) {
  auto sink = make_sink({{"mode", "insert"}, {"batch_max_records", "2"}});
  const Batch first = {{0, 0, kUuidA, R"({"v":1})"},
                       {0, 1, kUuidB, R"({"v":2})"}};
  const Batch second = {{1, 0, kUuidC, R"({"v":3})"},
                        {0, 2, kUuidA, R"({"v":4})"}};
  sink->put(first.records());
  sink->put(second.records());  // hands `first` off
  const std::vector<TopicPartition> lost = {{"orders", 0, 0}};
  sink->close(lost);
  sink->flush();
  EXPECT_EQ(rows(), (std::vector<std::string>{
                        std::string(kUuidA) + R"(|{"v": 1}|0|0)",
                        std::string(kUuidB) + R"(|{"v": 2}|0|1)",
                        std::string(kUuidC) + R"(|{"v": 3}|1|0)"}));
  EXPECT_EQ(texts("SELECT kafka_partition || ':' || next_offset FROM " +
                  schema_ + ".rdconnect_offsets ORDER BY kafka_partition"),
            (std::vector<std::string>{"0:2", "1:1"}));
}

}  // namespace
}  // namespace rdconnect::postgres_sink
