// Poison records on their way into PostgreSQL — invalid JSON, bytes that
// are not UTF-8, a value over max_record_bytes, a key that conflicts with
// the table's uuid key column — under both error tolerances: "all" sends
// each to the dead-letter topic with its origin and the reason while every
// good record reaches the table; "none" stops the connector at the first
// one without writing or committing anything past it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "group_offsets.hpp"
#include "host_fixture.hpp"
#include "kafka_records.hpp"
#include "postgres_test_db.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr int32_t kPartitions = 2;
constexpr int kSeedRecordsPerPartition = 5;
// Every good record is far below it; the oversized poison record is not.
constexpr int64_t kMaxRecordBytes = 1024;
constexpr int64_t kFirstTimestampMs = 1'700'000'000'000;

// What the dead-letter headers must say about a poison record.
struct Verdict {
  std::string stage;
  std::string error_class;
  /// Part of rdconnect.error.message.
  std::string reason;
};

// Records in the order they are produced, and which of them are poison.
struct RecordPlan {
  std::vector<KafkaRecord> records;
  std::map<size_t, Verdict> poison;  // by index in `records`

  Coordinates good_coordinates() const {
    Coordinates result;
    for (size_t i = 0; i < records.size(); ++i) {
      if (!poison.contains(i)) {
        result.emplace(records[i].partition, records[i].offset);
      }
    }
    return result;
  }
};

struct SinkSettings {
  std::string tolerance = "all";
  bool dead_letter_topic = true;
  bool restart = true;
  int flush_interval_ms = 200;
  int max_batch_records = 1000;
  int64_t max_record_bytes = kMaxRecordBytes;
};

Coordinates coordinates_of(const std::vector<KafkaRecord>& records) {
  Coordinates result;
  for (const KafkaRecord& record : records) {
    result.emplace(record.partition, record.offset);
  }
  return result;
}

// Poison records carry headers of their own, binary and null ones too, so
// that the dead-letter copy can be checked byte for byte.
std::vector<KafkaHeader> poison_headers(const std::string& kind) {
  return {{"poison", kind},
          {"trace", std::string("\x00\xff\x01", 3)},
          {"absent", std::nullopt}};
}

std::optional<std::string> header_value(const KafkaRecord& record,
                                        const std::string& name) {
  for (const KafkaHeader& header : record.headers) {
    if (header.name == name) return header.value;
  }
  return std::nullopt;
}

class PoisonRecordTest : public HostTest {
 protected:
  PoisonRecordTest() { create_topic(topic_, kPartitions); }

  std::string config(const SinkSettings& settings) const {
    std::string text =
        std::string(kConfigPrelude) +

        "[[sink]]\nname = \"pg\"\nplugin = \"postgres_sink\"\n"
        "topics = [\"" +
        topic_ + "\"]\ngroup_id = \"" + group_ +
        "\"\ntasks = 1\n"
        "flush_interval_ms = " +
        std::to_string(settings.flush_interval_ms) +
        "\nmax_batch_records = " + std::to_string(settings.max_batch_records) +
        "\nmax_record_bytes = " + std::to_string(settings.max_record_bytes) +
        "\n[sink.errors]\ntolerance = \"" + settings.tolerance + "\"\n";
    if (settings.dead_letter_topic) {
      text += "dlq_topic = \"" + dlq_topic_ + "\"\n";
    }
    text += std::string("[sink.restart]\nenabled = ") +
            (settings.restart ? "true" : "false") +
            "\n[sink.config]\ndsn = \"${env:PG_DSN}\"\nschema = \"" +
            schema_.name() +
            "\"\ntable = \"events\"\nmode = \"insert\"\nlayout = \"jsonb\"\n";
    return text;
  }

  KafkaRecord good_record(int32_t partition) {
    const int n = next_record_++;
    const std::string digits = std::to_string(n);
    return {
        .partition = partition,
        .timestamp_ms = kFirstTimestampMs + n,
        .key = "00000000-0000-4000-8000-" +
               std::string(12 - digits.size(), '0') + digits,
        .value = R"({"n":)" + digits + R"(,"name":"user )" + digits + R"("})",
        .headers = {{"source", "fault-test"}}};
  }

  KafkaRecord poison_record(int32_t partition, std::string key,
                            std::string value, const std::string& kind) {
    KafkaRecord record = good_record(partition);
    record.key = std::move(key);
    record.value = std::move(value);
    record.headers = poison_headers(kind);
    return record;
  }

  // A first run writes good records only, so the table is created with a
  // uuid key column — which a non-UUID key conflicts with afterwards.
  std::vector<KafkaRecord> seed_table(const SinkSettings& settings) {
    std::vector<KafkaRecord> seed;
    for (int i = 0; i < kSeedRecordsPerPartition; ++i) {
      for (int32_t partition = 0; partition < kPartitions; ++partition) {
        seed.push_back(good_record(partition));
      }
    }
    produce_records(topic_, seed);
    run_until_caught_up(write_config("seed.toml", config(settings)));
    EXPECT_EQ(table_coordinates(), coordinates_of(seed));
    return seed;
  }

  // Good records with each kind of poison record among them, on both
  // partitions.
  RecordPlan mixed_records() {
    RecordPlan plan;
    auto good = [&](int32_t partition) {
      plan.records.push_back(good_record(partition));
    };
    auto poison = [&](KafkaRecord record, Verdict verdict) {
      plan.poison[plan.records.size()] = std::move(verdict);
      plan.records.push_back(std::move(record));
    };
    const std::string uuid = "11111111-2222-4333-8444-555555555555";
    const std::string oversized =
        R"({"pad":")" + std::string(2000, 'x') + R"("})";
    good(0);
    good(0);
    poison(poison_record(0, uuid, R"({"n":1,"name":)", "invalid-json"),
           {"plugin", "RecordError", "not valid JSON"});
    good(1);
    poison(poison_record(1, uuid, "{\"name\":\"caf\xe9\"}", "latin-1"),
           {"plugin", "RecordError", "UTF-8"});
    good(0);
    poison(
        poison_record(0, uuid, oversized, "oversized"),
        {"size", "RecordTooLarge",
         "key and value are " + std::to_string(uuid.size() + oversized.size()) +
             " bytes, over max_record_bytes = " +
             std::to_string(kMaxRecordBytes)});
    good(1);
    good(0);
    poison(poison_record(1, "customer-42", R"({"n":42})", "not-a-uuid"),
           {"plugin", "RecordError", "is not a UUID"});
    good(1);
    good(0);
    return plan;
  }

  Coordinates table_coordinates() const {
    auto connection = connect_postgres();
    pqxx::nontransaction tx(*connection);
    Coordinates result;
    for (const auto& row :
         tx.exec("SELECT kafka_partition, kafka_offset FROM \"" +
                 schema_.name() + "\".events")) {
      result.emplace(row[0].as<int32_t>(), row[1].as<int64_t>());
    }
    return result;
  }

  std::string stored_next_offset(int32_t partition) const {
    return query_value("SELECT next_offset FROM \"" + schema_.name() +
                       "\".rdconnect_offsets WHERE topic = '" + topic_ +
                       "' AND kafka_partition = " + std::to_string(partition));
  }

  // Each dead-lettered record is the poison record it came from — key,
  // value, timestamp, its own headers in order — plus the context headers.
  void expect_dead_letter(const KafkaRecord& dead, const KafkaRecord& original,
                          const Verdict& verdict) const {
    EXPECT_EQ(dead.key, original.key);
    EXPECT_EQ(dead.value, original.value);
    EXPECT_EQ(dead.timestamp_ms, original.timestamp_ms);
    std::vector<KafkaHeader> expected = original.headers;
    expected.insert(
        expected.end(),
        {{"rdconnect.error.topic", topic_},
         {"rdconnect.error.partition", std::to_string(original.partition)},
         {"rdconnect.error.offset", std::to_string(original.offset)},
         {"rdconnect.error.connector", "pg"},
         {"rdconnect.error.stage", verdict.stage},
         {"rdconnect.error.class", verdict.error_class}});
    ASSERT_EQ(dead.headers.size(), expected.size() + 1);
    EXPECT_EQ(std::vector(dead.headers.begin(), dead.headers.end() - 1),
              expected);
    EXPECT_EQ(dead.headers.back().name, "rdconnect.error.message");
    EXPECT_THAT(dead.headers.back().value.value_or(""),
                HasSubstr(verdict.reason));
  }

  // The offsets the sink stored are where a restart resumes: no record
  // before them is missing from the table and none after them is in it.
  void expect_table_is_exactly_below_stored_offsets() const {
    Coordinates expected;
    for (int32_t partition = 0; partition < kPartitions; ++partition) {
      const int64_t next = std::stoll(stored_next_offset(partition));
      for (int64_t offset = 0; offset < next; ++offset) {
        expected.emplace(partition, offset);
      }
    }
    EXPECT_EQ(table_coordinates(), expected);
  }

  // A dead-letter topic that takes 1000 bytes a record at most, a seeded
  // table, and five good records on each side of `poison` (index 5) on
  // partition 0, produced.
  std::vector<KafkaRecord> around_poison_for_a_small_dead_letter_topic(
      KafkaRecord poison, SinkSettings& settings,
      std::vector<KafkaRecord>& seed) {
    create_topic(dlq_topic_, 1, {{"max.message.bytes", "1000"}});
    settings.max_record_bytes = 0;
    seed = seed_table(settings);
    std::vector<KafkaRecord> records;
    for (int i = 0; i < 5; ++i) records.push_back(good_record(0));
    records.push_back(std::move(poison));
    for (int i = 0; i < 5; ++i) records.push_back(good_record(0));
    produce_records(topic_, records);
    return records;
  }

  void add_check_constraint(const std::string& condition) const {
    auto connection = connect_postgres();
    pqxx::nontransaction tx(*connection);
    tx.exec0("ALTER TABLE \"" + schema_.name() +
             "\".events ADD CONSTRAINT fault_check CHECK (" + condition + ")");
  }

  std::string topic_ = unique_name("poison");
  std::string dlq_topic_ = topic_ + ".dlq";
  std::string group_ = unique_name("rdconnect-pg");
  ScratchSchema schema_{"fault"};
  int next_record_ = 0;
};

TEST_F(PoisonRecordTest, ToleranceAllDeadLettersEachPoisonRecordWithItsOrigin) {
  const SinkSettings settings;
  std::vector<KafkaRecord> seed;
  ASSERT_NO_FATAL_FAILURE(seed = seed_table(settings));
  RecordPlan plan = mixed_records();
  produce_records(topic_, plan.records);

  auto host = start_host(write_config("all.toml", config(settings)),
                         {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(0)) << host->stderr_text();
  EXPECT_THAT(host->stderr_text(), HasSubstr("dead_lettered=4"));

  Coordinates good = plan.good_coordinates();
  good.merge(coordinates_of(seed));
  EXPECT_EQ(table_coordinates(), good);

  const std::vector<KafkaRecord> dead = read_records(dlq_topic_);
  ASSERT_EQ(dead.size(), plan.poison.size());
  std::set<size_t> found;
  for (const KafkaRecord& record : dead) {
    const std::optional<std::string> partition =
        header_value(record, "rdconnect.error.partition");
    const std::optional<std::string> offset =
        header_value(record, "rdconnect.error.offset");
    ASSERT_TRUE(partition && offset) << "no origin headers";
    for (const auto& [index, verdict] : plan.poison) {
      const KafkaRecord& original = plan.records[index];
      if (std::to_string(original.partition) != *partition ||
          std::to_string(original.offset) != *offset) {
        continue;
      }
      SCOPED_TRACE("poison record " + *header_value(original, "poison"));
      found.insert(index);
      expect_dead_letter(record, original, verdict);
    }
  }
  EXPECT_EQ(found.size(), plan.poison.size());
}

// Small batches put the good records before the poison record into put()
// calls of their own, which succeed, and the long flush interval keeps
// them unflushed when the poison record stops the connector. The stop must
// drop them rather than flush them: they are read again on a restart, and
// writing them (with the offsets the sink stores beside its rows) would
// move the sink past the poison record.
TEST_F(PoisonRecordTest, ToleranceNoneStopsAtTheFirstPoisonRecordUncommitted) {
  SinkSettings settings;
  settings.tolerance = "none";
  settings.dead_letter_topic = false;
  settings.restart = false;
  std::vector<KafkaRecord> seed;
  ASSERT_NO_FATAL_FAILURE(seed = seed_table(settings));

  std::vector<KafkaRecord> records;
  for (int i = 0; i < 20; ++i) records.push_back(good_record(0));
  records.push_back(poison_record(0, "22222222-3333-4444-8555-666666666666",
                                  R"({"n":)", "invalid-json"));
  const size_t poison = records.size() - 1;
  for (int i = 0; i < 5; ++i) records.push_back(good_record(0));
  for (int i = 0; i < 10; ++i) records.push_back(good_record(1));
  produce_records(topic_, records);
  const int64_t seeded_end = kSeedRecordsPerPartition;
  ASSERT_EQ(records.front().offset, seeded_end);

  settings.flush_interval_ms = 60000;
  settings.max_batch_records = 10;
  auto host = start_host(write_config("none.toml", config(settings)),
                         {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(1)) << host->stderr_text();
  const std::string origin =
      topic_ + "[0]@" + std::to_string(records[poison].offset);
  EXPECT_THAT(host->stderr_text(),
              HasSubstr(origin + " failed at stage plugin"));
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("sink FAILED (restarts are disabled): plugin "
                        "'postgres_sink' put(): " +
                        origin));

  EXPECT_EQ(committed_offset(group_, topic_, 0), seeded_end);
  EXPECT_EQ(committed_offset(group_, topic_, 1), seeded_end);
  EXPECT_EQ(table_coordinates(), coordinates_of(seed));
  EXPECT_EQ(stored_next_offset(0), std::to_string(seeded_end));
  EXPECT_EQ(stored_next_offset(1), std::to_string(seeded_end));
}

// The dead-letter topic takes at most 1000 bytes a record. A 5 KB record
// that is not JSON cannot reach the table or, whole, the dead-letter topic:
// it is dead-lettered without its value, with its headers and a note of
// what was dropped, so its fate is recorded; nothing is lost, exit 0.
TEST_F(PoisonRecordTest,
       ARecordTooLargeForTheDeadLetterTopicGoesThereWithoutItsValue) {
  SinkSettings settings;
  std::vector<KafkaRecord> seed;
  std::vector<KafkaRecord> records;
  ASSERT_NO_FATAL_FAILURE(
      records = around_poison_for_a_small_dead_letter_topic(
          poison_record(0, "33333333-4444-4555-8666-777777777777",
                        std::string(5000, 'z'), "big-non-json"),
          settings, seed));

  auto host = start_host(write_config("big.toml", config(settings)),
                         {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(0)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(), HasSubstr("dead_lettered=1"));

  std::vector<KafkaRecord> good = seed;
  for (size_t i = 0; i < records.size(); ++i) {
    if (i != 5) good.push_back(records[i]);
  }
  EXPECT_EQ(table_coordinates(), coordinates_of(good));
  const std::vector<KafkaRecord> dead = read_records(dlq_topic_);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].key, records[5].key);
  EXPECT_EQ(dead[0].value, std::optional<std::string>(""));
  EXPECT_EQ(header_value(dead[0], "poison"),
            std::optional<std::string>("big-non-json"));
  EXPECT_EQ(header_value(dead[0], "rdconnect.error.offset"),
            std::to_string(records[5].offset));
  EXPECT_THAT(header_value(dead[0], "rdconnect.error.truncated").value_or(""),
              HasSubstr("value of 5000 bytes dropped"));
  EXPECT_EQ(stored_next_offset(0), std::to_string(records.back().offset + 1));
}

// Even without its value the record is over the dead-letter topic's limit
// (a 2 KB header): it can reach neither the table nor the dead-letter
// topic, so the connector fails for good (exit 1) and the sink stores no
// offset past it — the record and those after it are read again on the
// next start, none is lost.
TEST_F(PoisonRecordTest,
       ARecordNeitherTheSinkNorTheDeadLetterTopicTakesFailsTheConnector) {
  KafkaRecord poison = poison_record(0, "33333333-4444-4555-8666-777777777777",
                                     "not json", "big-header");
  poison.headers.push_back({"bulk", std::string(2000, 'h')});
  SinkSettings settings;
  std::vector<KafkaRecord> seed;
  std::vector<KafkaRecord> records;
  ASSERT_NO_FATAL_FAILURE(records = around_poison_for_a_small_dead_letter_topic(
                              poison, settings, seed));

  auto host = start_host(write_config("neither.toml", config(settings)),
                         {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(1)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("sink FAILED (a restart cannot help)"));
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("could not be delivered to the dead-letter topic '" +
                        dlq_topic_ + "' either"));
  EXPECT_EQ(read_records(dlq_topic_).size(), 0u);
  EXPECT_LE(std::stoll(stored_next_offset(0)), records[5].offset);
  EXPECT_LE(committed_offset(group_, topic_, 0), records[5].offset);
  expect_table_is_exactly_below_stored_offsets();
}

// Records PostgreSQL refuses only when it writes them (an operator's CHECK
// constraint) are isolated in the flush, dead-lettered before the flush
// commits, and every good record lands; so does a number numeric cannot
// hold, caught before the database.
TEST_F(PoisonRecordTest, RecordsPostgresRefusesAreDeadLetteredAndTheRestLands) {
  const SinkSettings settings;
  std::vector<KafkaRecord> seed;
  ASSERT_NO_FATAL_FAILURE(seed = seed_table(settings));
  add_check_constraint("(value->>'n')::numeric < 100000");
  std::vector<KafkaRecord> records;
  for (int i = 0; i < 4; ++i) records.push_back(good_record(i % 2));
  records.push_back(poison_record(0, "44444444-5555-4666-8777-888888888888",
                                  R"({"n":500000})", "check"));
  for (int i = 0; i < 4; ++i) records.push_back(good_record(i % 2));
  records.push_back(poison_record(1, "55555555-6666-4777-8888-999999999999",
                                  R"({"n":1e-20000})", "underflow"));
  for (int i = 0; i < 4; ++i) records.push_back(good_record(i % 2));
  produce_records(topic_, records);

  auto host = start_host(write_config("refused.toml", config(settings)),
                         {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(0)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(), HasSubstr("dead_lettered=2"));
  EXPECT_THAT(host->stderr_text(), Not(HasSubstr("500000")));

  std::vector<KafkaRecord> good = seed;
  for (const KafkaRecord& record : records) {
    if (!header_value(record, "poison")) good.push_back(record);
  }
  EXPECT_EQ(table_coordinates(), coordinates_of(good));
  std::map<std::string, std::string> messages;
  for (const KafkaRecord& dead : read_records(dlq_topic_)) {
    messages[header_value(dead, "poison").value_or("?")] =
        header_value(dead, "rdconnect.error.message").value_or("");
  }
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_THAT(messages["check"], HasSubstr("violates check constraint "
                                           "\"fault_check\" (SQLSTATE 23514)"));
  EXPECT_THAT(messages["underflow"],
              HasSubstr("PostgreSQL numeric cannot hold"));
}

}  // namespace
}  // namespace rdconnect::testing
