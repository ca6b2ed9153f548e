// Unit tests of the postgres_sink plugin's pure parts; no database needed.
#include <chrono>
#include <initializer_list>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/except>
#include <rdconnect/plugin.hpp>

#include "column_type.hpp"
#include "columns_layout.hpp"
#include "connection_failure.hpp"
#include "dsn.hpp"
#include "identifier.hpp"
#include "json_fields.hpp"
#include "jsonb_layout.hpp"
#include "kafka_columns.hpp"
#include "key_type.hpp"
#include "merge_statement.hpp"
#include "migrations.hpp"
#include "offset_store.hpp"
#include "plugin_test_config.hpp"
#include "postgres_sink.hpp"
#include "postgres_sink_options.hpp"
#include "record_checks.hpp"
#include "retry_backoff.hpp"
#include "rfc3339.hpp"

namespace rdconnect::postgres_sink {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;

// The plugin's defaults with some values overridden, as the host passes them.
class TestConfig : public rdconnect::testing::TestConfig {
 public:
  explicit TestConfig(
      std::initializer_list<std::pair<std::string, std::string>> overrides)
      : rdconnect::testing::TestConfig(
            {{"dsn", "postgresql://writer:hunter2@db.example:5433/app"},
             {"table", "users"},
             {"schema", "public"},
             {"layout", "jsonb"},
             {"mode", "upsert"},
             {"key_column", "key"},
             {"key_type", "infer"},
             {"delete_on_tombstone", "true"},
             {"batch_max_records", "10000"},
             {"batch_max_ms", "1000"},
             {"auto_create", "true"},
             {"auto_evolve", "true"},
             {"exactly_once", "true"}},
            overrides) {}
};

std::string invalid_argument_text(const TestConfig& config) {
  try {
    parse_postgres_sink_options(config.config());
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no error";
}

BufferedRecord record(std::optional<std::string> key,
                      std::optional<std::string> value) {
  BufferedRecord result;
  result.topic = "users";
  result.key = std::move(key);
  result.value = std::move(value);
  return result;
}

TEST(QuoteIdentifier, WrapsInDoubleQuotes) {
  EXPECT_EQ(quote_identifier("users"), "\"users\"");
  EXPECT_EQ(quote_identifier("Mixed Case"), "\"Mixed Case\"");
}

TEST(QuoteIdentifier, DoublesEmbeddedQuotes) {
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_identifier("x\"; DROP TABLE t; --"),
            "\"x\"\"; DROP TABLE t; --\"");
}

TEST(QuoteIdentifier, RejectsEmptyAndNul) {
  EXPECT_THROW(quote_identifier(""), std::invalid_argument);
  EXPECT_THROW(quote_identifier("a\0b"s), std::invalid_argument);
}

TEST(TableName, QuotesBothParts) {
  EXPECT_EQ((TableName{"my schema", "t\"1"}.quoted()),
            "\"my schema\".\"t\"\"1\"");
}

TEST(Dsn, DescribesUriWithoutPassword) {
  const Dsn dsn("postgresql://writer:hunter2@db.example:5433/app");
  EXPECT_EQ(dsn.description(), "postgresql://writer@db.example:5433/app");
}

TEST(Dsn, DescribesKeyValueFormWithoutPassword) {
  const Dsn dsn("host=127.0.0.1 port=55432 user=sink password='p w' dbname=d");
  EXPECT_EQ(dsn.description(), "postgresql://sink@127.0.0.1:55432/d");
}

TEST(Dsn, RedactsPasswordAndWholeConnectionString) {
  const Dsn dsn("postgresql://writer:hunter2@db.example:5433/app");
  EXPECT_EQ(dsn.redact("failed: password hunter2 wrong"),
            "failed: password *** wrong");
  EXPECT_EQ(
      dsn.redact("cannot use postgresql://writer:hunter2@db.example:5433/app"),
      "cannot use postgresql://writer@db.example:5433/app");
}

TEST(Dsn, RedactsPercentDecodedPassword) {
  const Dsn dsn("postgresql://writer:p%40ss@db/app");
  EXPECT_EQ(dsn.redact("auth failed for p@ss"), "auth failed for ***");
}

TEST(Dsn, InvalidTextIsRejectedWithoutEchoingIt) {
  try {
    Dsn dsn("postgresql://writer:hunter2@db/app?nonsense_option=1");
    FAIL() << "no exception";
  } catch (const std::invalid_argument& error) {
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("'dsn'"), std::string::npos);
  }
}

TEST(KeyType, RecognisesCanonicalUuids) {
  EXPECT_TRUE(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_TRUE(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
  EXPECT_FALSE(is_uuid("123e4567e89b12d3a456426614174000"));
  EXPECT_FALSE(is_uuid("123e4567-e89b-12d3-a456-42661417400g"));
  EXPECT_FALSE(is_uuid("123e4567-e89b-12d3-a456-4266141740000"));
  EXPECT_FALSE(is_uuid(""));
}

TEST(KeyType, UuidOnlyWhenEveryKeyIsOne) {
  const std::optional<std::string> uuid =
      "123e4567-e89b-12d3-a456-426614174000";
  const std::vector<std::optional<std::string>> all_uuids = {uuid, std::nullopt,
                                                             uuid};
  const std::vector<std::optional<std::string>> mixed = {uuid, "user-7"};
  const std::vector<std::optional<std::string>> only_nulls = {std::nullopt};
  EXPECT_EQ(key_type_for(all_uuids), KeyType::kUuid);
  EXPECT_EQ(key_type_for(mixed), KeyType::kText);
  EXPECT_EQ(key_type_for(only_nulls), KeyType::kText);
}

TEST(KeyType, FromExistingColumn) {
  EXPECT_EQ(key_type_of_column("uuid"), KeyType::kUuid);
  EXPECT_EQ(key_type_of_column("text"), KeyType::kText);
  EXPECT_EQ(key_type_of_column("character varying(36)"), KeyType::kText);
}

TEST(RecordChecks, TextMustBeUtf8WithoutNul) {
  EXPECT_EQ(text_rejection("plain"), std::nullopt);
  EXPECT_EQ(text_rejection("gr\xC3\xBC\xC3\x9F"
                           "e \xF0\x9F\x98\x80"),
            std::nullopt);
  EXPECT_EQ(text_rejection("a\0b"s), "contains a NUL byte");
  EXPECT_EQ(text_rejection("ab\xC3"), "is not valid UTF-8 (byte 2)");
  EXPECT_EQ(text_rejection("\xED\xA0\x80"), "is not valid UTF-8 (byte 0)");
  EXPECT_EQ(text_rejection("\xC0\xAF"), "is not valid UTF-8 (byte 0)");
}

TEST(RecordChecks, JsonbAcceptsAnyJsonValue) {
  EXPECT_EQ(jsonb_rejection(R"({"a":[1,2.5,"x",null,true]})"), std::nullopt);
  EXPECT_EQ(jsonb_rejection("42"), std::nullopt);
  EXPECT_EQ(jsonb_rejection(R"("escaped \\u0000 is fine")"), std::nullopt);
}

TEST(RecordChecks, JsonbRejectsInvalidJsonAndNulEscapes) {
  EXPECT_NE(jsonb_rejection("{not json"), std::nullopt);
  EXPECT_NE(jsonb_rejection(""), std::nullopt);
  EXPECT_EQ(jsonb_rejection(R"({"a":"x\u0000y"})"),
            "JSON string holds \\u0000, which PostgreSQL jsonb cannot store");
  EXPECT_EQ(jsonb_rejection(R"({"x\u0000":1})"),
            "JSON string holds \\u0000, which PostgreSQL jsonb cannot store");
}

// The bounds were measured against PostgreSQL 15: '{"a":1e-16383}'::jsonb
// is stored and '{"a":1e-16384}'::jsonb is refused, and so on.
TEST(RecordChecks, JsonbTakesNumbersThatNumericHolds) {
  for (const char* json :
       {R"({"a":1e400})", R"({"a":-1e400})", R"({"a":1e-16383})",
        R"({"a":1.5e-16382})", R"({"a":1e131071})", R"({"a":9.9e131071})",
        R"({"a":123456789e131063})", R"({"a":0.001e131074})",
        R"([1e400, {"b": 2}])", R"({"a":0})", R"({"a":0e5})"}) {
    EXPECT_EQ(jsonb_rejection(json), std::nullopt) << json;
  }
}

TEST(RecordChecks, JsonbRefusesNumbersBeyondNumeric) {
  for (const char* json :
       {R"({"a":1e-20000})", R"({"a":1e-16384})", R"({"a":1.5e-16383})",
        R"({"a":0e-99999})", R"({"a":1e131072})", R"({"a":10e131071})",
        R"({"a":1e99999999999999999999})"}) {
    const std::optional<std::string> problem = jsonb_rejection(json);
    ASSERT_NE(problem, std::nullopt) << json;
    EXPECT_NE(problem->find("PostgreSQL numeric cannot hold"),
              std::string::npos)
        << *problem;
  }
}

TEST(RecordChecks, JsonbRefusesNestingDeeperThanPostgresParses) {
  const auto nested = [](size_t depth) {
    return std::string(depth, '[') + std::string(depth, ']');
  };
  EXPECT_EQ(jsonb_rejection(nested(4096)), std::nullopt);
  EXPECT_EQ(jsonb_rejection(nested(4097)),
            "JSON nested deeper than 4096 levels, more than PostgreSQL parses");
  // Unbalanced and deep: refused without recursion (no stack overflow).
  EXPECT_NE(jsonb_rejection(std::string(100000, '[')), std::nullopt);
}

TEST(Options, ParsesDefaults) {
  const PostgresSinkOptions options =
      parse_postgres_sink_options(TestConfig({}).config());
  EXPECT_EQ(options.target.quoted(), "\"public\".\"users\"");
  EXPECT_EQ(options.layout, Layout::kJsonb);
  EXPECT_EQ(options.mode, WriteMode::kUpsert);
  EXPECT_EQ(options.key_column, "key");
  EXPECT_EQ(options.key_type, std::nullopt);
  EXPECT_TRUE(options.delete_on_tombstone);
  EXPECT_EQ(options.batch_max_records, 10000u);
  EXPECT_EQ(options.batch_max_ms, 1000ms);
  EXPECT_TRUE(options.exactly_once);
}

TEST(Options, RejectsBadValuesNamingTheKey) {
  EXPECT_EQ(invalid_argument_text(TestConfig({{"batch_max_records", "0"}})),
            "postgres_sink: config key 'batch_max_records' is 0, but must be "
            "1 or more");
  EXPECT_EQ(invalid_argument_text(TestConfig({{"table", ""}})),
            "postgres_sink: config key 'table' is \"\", but must be a name of "
            "1 to 63 bytes without NUL");
  EXPECT_EQ(invalid_argument_text(TestConfig({{"mode", "merge"}})),
            "postgres_sink: config key 'mode' is \"merge\", but must be "
            "\"insert\" or \"upsert\"");
  EXPECT_EQ(invalid_argument_text(TestConfig({{"key_type", "int"}})),
            "postgres_sink: config key 'key_type' is \"int\", but must be "
            "\"infer\", \"uuid\" or \"text\"");
}

TEST(Options, ParsesDeclaredKeyTypes) {
  EXPECT_EQ(
      parse_postgres_sink_options(TestConfig({{"key_type", "uuid"}}).config())
          .key_type,
      KeyType::kUuid);
  EXPECT_EQ(
      parse_postgres_sink_options(TestConfig({{"key_type", "text"}}).config())
          .key_type,
      KeyType::kText);
}

TEST(JsonbLayout, KeyColumnMustNotCollideWithItsOtherColumns) {
  const PostgresSinkOptions options = parse_postgres_sink_options(
      TestConfig({{"key_column", "value"}}).config());
  EXPECT_THROW(JsonbLayout{options}, std::invalid_argument);
}

TEST(JsonbLayout, RejectsNullKeyInUpsertModeOnly) {
  JsonbLayout upsert(parse_postgres_sink_options(TestConfig({}).config()));
  JsonbLayout insert(
      parse_postgres_sink_options(TestConfig({{"mode", "insert"}}).config()));
  EXPECT_EQ(upsert.rejection(record(std::nullopt, "{}")),
            "key is null; mode=upsert needs a key for every record");
  EXPECT_EQ(insert.rejection(record(std::nullopt, "{}")), std::nullopt);
}

TEST(JsonbLayout, AcceptsTombstonesAndRejectsBadJson) {
  JsonbLayout layout(parse_postgres_sink_options(TestConfig({}).config()));
  EXPECT_EQ(layout.rejection(record("k", std::nullopt)), std::nullopt);
  const std::optional<std::string> problem =
      layout.rejection(record("k", "{oops"));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->rfind("value is not valid JSON", 0), 0u) << *problem;
}

TEST(JsonbLayout, CreatesTheTableWhenMissing) {
  const JsonbLayout layout(
      parse_postgres_sink_options(TestConfig({}).config()));
  const std::vector<BufferedRecord> batch = {
      record("123e4567-e89b-12d3-a456-426614174000", "{}")};
  const std::vector<Migration> migrations = layout.migrations_for(batch);
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].id, "users:0001");
  EXPECT_EQ(migrations[0].sql,
            "CREATE TABLE \"public\".\"users\" (\"key\" uuid NOT NULL, value "
            "jsonb, kafka_topic text NOT NULL, kafka_partition integer NOT "
            "NULL, kafka_offset bigint NOT NULL, kafka_timestamp timestamptz, "
            "PRIMARY KEY (\"key\"))");
}

// Only a declared type lets open() create the table: the keys that would
// decide it have not arrived yet.
TEST(JsonbLayout, ADeclaredKeyTypeCreatesTheTableWithoutRecords) {
  const JsonbLayout inferred(
      parse_postgres_sink_options(TestConfig({}).config()));
  EXPECT_FALSE(inferred.creatable_without_records());
  JsonbLayout declared(
      parse_postgres_sink_options(TestConfig({{"key_type", "uuid"}}).config()));
  EXPECT_TRUE(declared.creatable_without_records());
  const std::vector<Migration> migrations = declared.migrations_for({});
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_NE(migrations[0].sql.find("(\"key\" uuid NOT NULL,"),
            std::string::npos);
  // Before the table exists, a key that cannot be a UUID is already refused.
  EXPECT_EQ(declared.rejection(record("k", "{}")),
            "key is not a UUID, but column \"key\" of \"public\".\"users\" "
            "is of type uuid");
}

// Created without records, a columns table gets its fields only by
// auto_evolve: without it, it must wait for the first batch's fields.
TEST(ColumnsLayout, IsCreatedWithoutRecordsOnlyWhenFieldsCanBeAddedLater) {
  EXPECT_TRUE(ColumnsLayout(
                  parse_postgres_sink_options(
                      TestConfig({{"layout", "columns"}, {"key_type", "text"}})
                          .config()))
                  .creatable_without_records());
  EXPECT_FALSE(ColumnsLayout(parse_postgres_sink_options(
                                 TestConfig({{"layout", "columns"},
                                             {"key_type", "text"},
                                             {"auto_evolve", "false"}})
                                     .config()))
                   .creatable_without_records());
}

TEST(JsonbLayout, MissingTableWithoutAutoCreateIsAnError) {
  const JsonbLayout layout(parse_postgres_sink_options(
      TestConfig({{"auto_create", "false"}}).config()));
  const std::vector<BufferedRecord> batch = {record("k", "{}")};
  EXPECT_THROW(layout.migrations_for(batch), std::runtime_error);
}

TEST(MergeStatement, UpsertKeepsTheLastRecordPerKey) {
  const MergeSpec spec{.target = {"s", "t"},
                       .key = {"\"k\"", "s.key::uuid"},
                       .values = {{"value", "s.value::jsonb"}},
                       .mode = WriteMode::kUpsert,
                       .delete_on_tombstone = true};
  EXPECT_EQ(
      merge_statement(spec),
      "WITH fresh AS (SELECT s.* FROM pg_temp.rdconnect_staging s WHERE "
      "s.key IS NOT NULL), latest AS (SELECT DISTINCT ON (s.key::uuid) s.* "
      "FROM fresh s "
      "ORDER BY s.key::uuid, s.batch_seq DESC), deleted AS (DELETE FROM "
      "\"s\".\"t\" t USING latest s WHERE s.value IS NULL AND t.\"k\" = "
      "s.key::uuid) INSERT INTO \"s\".\"t\" (\"k\", value) SELECT "
      "s.key::uuid, s.value::jsonb FROM latest s WHERE s.value IS NOT NULL ON "
      "CONFLICT (\"k\") DO UPDATE SET value = EXCLUDED.value");
}

TEST(MergeStatement, InsertSkipsOnlyDuplicates) {
  const MergeSpec spec{.target = {"s", "t"},
                       .key = {"\"k\"", "s.key::text"},
                       .values = {{"value", "s.value::jsonb"}},
                       .mode = WriteMode::kInsert,
                       .delete_on_tombstone = true};
  EXPECT_EQ(merge_statement(spec),
            "WITH fresh AS (SELECT s.* FROM pg_temp.rdconnect_staging s) "
            "INSERT INTO \"s\".\"t\" (\"k\", value) SELECT s.key::text, "
            "s.value::jsonb FROM fresh s ON CONFLICT DO NOTHING");
}

TEST(MergeStatement, UpsertIgnoresTombstonesWhenNotDeleting) {
  const MergeSpec spec{.target = {"s", "t"},
                       .key = {"\"k\"", "s.key::text"},
                       .values = {{"value", "s.value::jsonb"}},
                       .mode = WriteMode::kUpsert,
                       .delete_on_tombstone = false};
  EXPECT_NE(merge_statement(spec).find(
                "WHERE s.key IS NOT NULL AND s.value IS NOT NULL)"),
            std::string::npos);
}

// What a timestamptz column reads, exactly to the millisecond, whatever the
// session's DateStyle; years beyond 9999 get a fifth digit.
TEST(KafkaColumns, TimestampTextIsIsoUtcWithMilliseconds) {
  EXPECT_EQ(kafka_timestamp_text(0), "1970-01-01 00:00:00.000+00");
  EXPECT_EQ(kafka_timestamp_text(1700000000123), "2023-11-14 22:13:20.123+00");
  EXPECT_EQ(kafka_timestamp_text(1000000000000123),
            "33658-09-27 01:46:40.123+00");
}

// Applied migrations are never applied again: 0001 must keep its SQL, and
// the table-keying change comes as 0002.
TEST(OffsetStore, MigrationsKeepTheFirstAndKeyByTableInTheSecond) {
  const OffsetStore store({"s", "t"}, "c");
  const std::vector<Migration> migrations = store.migrations();
  ASSERT_EQ(migrations.size(), 2u);
  EXPECT_EQ(migrations[0].id, "rdconnect_offsets:0001");
  EXPECT_EQ(migrations[0].sql,
            "CREATE TABLE \"s\".\"rdconnect_offsets\" (connector text NOT "
            "NULL, topic text NOT NULL, kafka_partition integer NOT NULL, "
            "next_offset bigint NOT NULL, updated_at timestamptz NOT NULL "
            "DEFAULT now(), PRIMARY KEY (connector, topic, kafka_partition))");
  EXPECT_EQ(migrations[1].id, "rdconnect_offsets:0002");
  EXPECT_NE(
      migrations[1].sql.find("ADD PRIMARY KEY (connector, target_table, topic, "
                             "kafka_partition)"),
      std::string::npos);
  EXPECT_EQ(store.target(), "\"s\".\"t\"");
}

TEST(Migrations, LockKeyIsStablePerSchema) {
  EXPECT_EQ(migration_lock_key("public"), migration_lock_key("public"));
  EXPECT_NE(migration_lock_key("public"), migration_lock_key("other"));
}

// libpq gives no SQLSTATE for a refused login: libpqxx throws
// broken_connection with the server's text, which must not read as a lost
// connection (retried for ever) but as permanent.
TEST(ConnectionFailure, ARefusedLoginIsPermanent) {
  for (const char* message :
       {"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
        "password authentication failed for user \"rdconnect\"",
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
        "role \"nobody\" does not exist",
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
        "database \"nothing\" does not exist",
        "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
        "no pg_hba.conf entry for host \"127.0.0.1\""}) {
    EXPECT_EQ(classify(pqxx::broken_connection(message)),
              FailureKind::kPermanent)
        << message;
  }
  EXPECT_EQ(classify(pqxx::broken_connection(
                "connection to server at \"127.0.0.1\", port 1 failed: "
                "Connection refused")),
            FailureKind::kConnectionLost);
  EXPECT_EQ(classify(pqxx::sql_error("bad password", "", "28P01")),
            FailureKind::kPermanent);
}

TEST(ConnectionFailure, DataRefusalsAreTheRecordsFault) {
  EXPECT_TRUE(refused_for_its_data(pqxx::sql_error("overflow", "", "22003")));
  EXPECT_TRUE(refused_for_its_data(pqxx::sql_error("too deep", "", "54001")));
  EXPECT_TRUE(refused_for_its_data(pqxx::sql_error("check", "", "23514")));
  EXPECT_FALSE(refused_for_its_data(pqxx::sql_error("dup", "", "23505")));
  EXPECT_FALSE(refused_for_its_data(pqxx::sql_error("no table", "", "42P01")));
  EXPECT_FALSE(refused_for_its_data(pqxx::broken_connection("gone")));
}

// The DETAIL and CONTEXT lines may quote the record: only the first line,
// escaped and cut short, is kept.
TEST(ConnectionFailure, PrimaryMessageDropsWhatQuotesTheRecord) {
  const std::string secret_row(500, 's');
  const pqxx::sql_error error(
      "ERROR:  new row violates check constraint \"c\"\nDETAIL:  Failing row "
      "contains (" +
          secret_row + ").\nCONTEXT:  COPY rdconnect_staging, line 1",
      "", "23514");
  EXPECT_EQ(primary_message(error),
            "new row violates check constraint \"c\" (SQLSTATE 23514)");
}

TEST(ConnectionFailure, ClassifiesLibpqxxErrors) {
  EXPECT_EQ(classify(pqxx::broken_connection("gone")),
            FailureKind::kConnectionLost);
  EXPECT_EQ(classify(pqxx::in_doubt_error("commit unknown")),
            FailureKind::kConnectionLost);
  EXPECT_EQ(classify(pqxx::sql_error("shutdown", "", "57P01")),
            FailureKind::kConnectionLost);
  EXPECT_EQ(classify(pqxx::sql_error("link", "", "08006")),
            FailureKind::kConnectionLost);
  EXPECT_EQ(classify(pqxx::deadlock_detected("deadlock")),
            FailureKind::kTransient);
  EXPECT_EQ(classify(pqxx::sql_error("too many", "", "53300")),
            FailureKind::kTransient);
  EXPECT_EQ(classify(pqxx::sql_error("syntax", "", "42601")),
            FailureKind::kPermanent);
  EXPECT_EQ(classify(std::runtime_error("other")), FailureKind::kPermanent);
}

TEST(RetryBackoff, DoublesUpToThirtySecondsAndResets) {
  RetryBackoff backoff;
  const auto now = RetryBackoff::Clock::now();
  EXPECT_EQ(backoff.wait_left(now), RetryBackoff::Clock::duration::zero());
  backoff.failed(now);
  EXPECT_EQ(backoff.wait_left(now), 100ms);
  backoff.failed(now);
  EXPECT_EQ(backoff.wait_left(now), 200ms);
  for (int i = 0; i < 20; ++i) backoff.failed(now);
  EXPECT_EQ(backoff.wait_left(now), 30s);
  backoff.succeeded();
  EXPECT_EQ(backoff.wait_left(now), RetryBackoff::Clock::duration::zero());
}

TEST(QuoteLiteral, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(quote_literal("plain"), "E'plain'");
  EXPECT_EQ(quote_literal("it's a\\b"), "E'it''s a\\\\b'");
}

TEST(Migrations, IdIsSubjectAndPaddedNumber) {
  EXPECT_EQ(migration_id("orders", 2), "orders:0002");
  EXPECT_EQ(migration_id("a:b", 12345), "a:b:12345");
}

TEST(Rfc3339, AcceptsDateTimesWithZoneAndFraction) {
  EXPECT_TRUE(is_rfc3339_timestamp("2024-02-29T23:59:59Z"));
  EXPECT_TRUE(is_rfc3339_timestamp("2024-02-29t23:59:59z"));
  EXPECT_TRUE(is_rfc3339_timestamp("2024-01-31T08:15:00.5+05:30"));
  EXPECT_TRUE(is_rfc3339_timestamp("1999-12-31T00:00:00.123456789-08:00"));
  EXPECT_TRUE(is_rfc3339_timestamp("2016-12-31T23:59:60Z"));
  EXPECT_TRUE(is_rfc3339_timestamp("0001-01-01T00:00:00+15:59"));
}

TEST(Rfc3339, RejectsWhatIsNotAFullDateTimeWithZone) {
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29T23:59:59"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29 23:59:59Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29T23:59Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29T23:59:59.Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29T23:59:59+0530"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-02-29T23:59:59Z "));
  EXPECT_FALSE(is_rfc3339_timestamp("24-02-29T23:59:59Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("yesterday"));
  EXPECT_FALSE(is_rfc3339_timestamp(""));
}

TEST(Rfc3339, RejectsImpossibleDatesAndTimes) {
  EXPECT_FALSE(is_rfc3339_timestamp("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("1900-02-29T00:00:00Z"));
  EXPECT_TRUE(is_rfc3339_timestamp("2000-02-29T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-04-31T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-00T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-01T24:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-01T23:60:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-01T23:59:61Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-01T00:00:00+01:60"));
}

TEST(Rfc3339, RejectsWhatPostgresqlRefuses) {
  EXPECT_FALSE(is_rfc3339_timestamp("0000-01-01T00:00:00Z"));
  EXPECT_FALSE(is_rfc3339_timestamp("2024-01-01T00:00:00+16:00"));
  EXPECT_FALSE(is_rfc3339_timestamp("2016-12-31T23:59:60.5Z"));
}

std::vector<JsonField> fields_of(std::string_view json) {
  std::optional<std::vector<JsonField>> fields = top_level_fields(json);
  if (!fields) ADD_FAILURE() << json << " has no fields";
  return fields.value_or(std::vector<JsonField>{});
}

std::vector<JsonKind> kinds_of(std::string_view json) {
  std::vector<JsonKind> kinds;
  for (const JsonField& field : fields_of(json)) kinds.push_back(field.kind);
  return kinds;
}

TEST(JsonFields, ListsTopLevelFieldsInOrder) {
  const std::vector<JsonField> fields = fields_of(
      R"({"s":"x","i":-3,"f":1.5,"b":false,"n":null,"o":{"deep":[1]},"a":[]})");
  std::vector<std::string> names;
  for (const JsonField& field : fields) names.push_back(field.name);
  EXPECT_EQ(names,
            (std::vector<std::string>{"s", "i", "f", "b", "n", "o", "a"}));
  EXPECT_EQ(fields[0].text, "x");
  EXPECT_EQ(kinds_of(R"({"s":"x","i":-3,"f":1.5,"b":false,"n":null,)"
                     R"("o":{"deep":[1]},"a":[]})"),
            (std::vector<JsonKind>{JsonKind::kString, JsonKind::kInteger,
                                   JsonKind::kNumber, JsonKind::kBoolean,
                                   JsonKind::kNull, JsonKind::kObjectOrArray,
                                   JsonKind::kObjectOrArray}));
}

TEST(JsonFields, ClassifiesNumbersByWhatPostgresqlHolds) {
  EXPECT_EQ(kinds_of(R"({"max":9223372036854775807,)"
                     R"("min":-9223372036854775808,)"
                     R"("above":9223372036854775808,"whole":2.0})"),
            (std::vector<JsonKind>{JsonKind::kInteger, JsonKind::kInteger,
                                   JsonKind::kNumber, JsonKind::kNumber}));
  EXPECT_EQ(kinds_of(R"({"zero":0.0,"zero_exp":-0e400,"tiny":4.9e-324,)"
                     R"("underflow":1e-400,"negative":-2.5E-999})"),
            (std::vector<JsonKind>{
                JsonKind::kNumber, JsonKind::kNumber, JsonKind::kNumber,
                JsonKind::kOutOfRangeNumber, JsonKind::kOutOfRangeNumber}));
}

TEST(JsonFields, OtherValuesThanObjectsHaveNone) {
  EXPECT_EQ(top_level_fields("[1,2]"), std::nullopt);
  EXPECT_EQ(top_level_fields(R"("text")"), std::nullopt);
  EXPECT_EQ(top_level_fields("42"), std::nullopt);
  EXPECT_EQ(top_level_fields("null"), std::nullopt);
  const std::optional<std::vector<JsonField>> empty = top_level_fields("{}");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

JsonField field(JsonKind kind, std::string text = "") {
  return {"f", kind, std::move(text)};
}

TEST(ColumnType, InfersEachJsonKind) {
  EXPECT_EQ(inferred_column_type(field(JsonKind::kString, "plain")),
            ColumnType::kText);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kString,
                                       "123e4567-e89b-12d3-a456-426614174000")),
            ColumnType::kUuid);
  EXPECT_EQ(inferred_column_type(
                field(JsonKind::kString, "2024-01-31T08:15:00.5+05:30")),
            ColumnType::kTimestamptz);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kString, "2024-01-31")),
            ColumnType::kText);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kInteger)),
            ColumnType::kBigint);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kNumber)),
            ColumnType::kDoublePrecision);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kBoolean)),
            ColumnType::kBoolean);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kObjectOrArray)),
            ColumnType::kJsonb);
  EXPECT_EQ(inferred_column_type(field(JsonKind::kNull)), std::nullopt);
}

TEST(ColumnType, FitsOnlyValuesTheServerTakes) {
  const JsonField uuid =
      field(JsonKind::kString, "123e4567-e89b-12d3-a456-426614174000");
  const JsonField text = field(JsonKind::kString, "plain");
  EXPECT_TRUE(fits(uuid, ColumnType::kText));
  EXPECT_TRUE(fits(uuid, ColumnType::kUuid));
  EXPECT_FALSE(fits(text, ColumnType::kUuid));
  EXPECT_FALSE(fits(text, ColumnType::kTimestamptz));
  EXPECT_FALSE(fits(text, ColumnType::kBigint));
  EXPECT_FALSE(fits(field(JsonKind::kInteger), ColumnType::kText));
  EXPECT_FALSE(fits(field(JsonKind::kNumber), ColumnType::kBigint));
  EXPECT_TRUE(fits(field(JsonKind::kInteger), ColumnType::kDoublePrecision));
  EXPECT_FALSE(
      fits(field(JsonKind::kOutOfRangeNumber), ColumnType::kDoublePrecision));
  EXPECT_FALSE(fits(field(JsonKind::kBoolean), ColumnType::kText));
  EXPECT_TRUE(fits(text, ColumnType::kJsonb));
  EXPECT_TRUE(fits(field(JsonKind::kNull), ColumnType::kUuid));
  EXPECT_TRUE(fits(field(JsonKind::kNull), ColumnType::kBigint));
}

TEST(ColumnType, NamesAsFormatTypePrintsThem) {
  EXPECT_EQ(sql_name(ColumnType::kTimestamptz), "timestamp with time zone");
  EXPECT_EQ(column_type_named("double precision"),
            ColumnType::kDoublePrecision);
  EXPECT_EQ(column_type_named("jsonb"), ColumnType::kJsonb);
  EXPECT_EQ(column_type_named("character varying(20)"), std::nullopt);
}

ColumnsLayout columns_layout(
    std::initializer_list<std::pair<std::string, std::string>> overrides = {}) {
  TestConfig config(overrides);
  PostgresSinkOptions options = parse_postgres_sink_options(config.config());
  options.layout = Layout::kColumns;
  return ColumnsLayout(options);
}

TEST(ColumnsLayout, CreatesTheTableWithOneColumnPerField) {
  ColumnsLayout layout = columns_layout();
  const std::vector<BufferedRecord> batch = {
      record("123e4567-e89b-12d3-a456-426614174000",
             R"({"name":"Ada","born":"1815-12-10T00:00:00Z","late":null})"),
      record("123e4567-e89b-12d3-a456-426614174001",
             R"({"id":"123e4567-e89b-12d3-a456-426614174002","age":36,)"
             R"("score":9.5,"active":true,"tags":["x"],"name":"Bob"})")};
  for (const BufferedRecord& accepted : batch) {
    EXPECT_EQ(layout.rejection(accepted), std::nullopt);
  }
  const std::vector<Migration> migrations = layout.migrations_for(batch);
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].id, "users:0001");
  EXPECT_EQ(
      migrations[0].sql,
      "CREATE TABLE \"public\".\"users\" (\"key\" uuid NOT NULL, kafka_topic "
      "text NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint "
      "NOT NULL, kafka_timestamp timestamptz, \"name\" text, \"born\" "
      "timestamp with time zone, \"id\" uuid, \"age\" bigint, \"score\" double "
      "precision, \"active\" boolean, \"tags\" jsonb, PRIMARY KEY (\"key\"))");
}

TEST(ColumnsLayout, TheFirstTypeSeenDecidesAndLaterMisfitsAreRejected) {
  ColumnsLayout layout = columns_layout();
  EXPECT_EQ(layout.rejection(record("k", R"({"age":36})")), std::nullopt);
  EXPECT_EQ(layout.rejection(record("k", R"({"age":"old"})")),
            "field \"age\" holds a string, which does not fit column \"age\" "
            "of type bigint");
  EXPECT_EQ(layout.rejection(record("k", R"({"age":null})")), std::nullopt);
}

TEST(ColumnsLayout, RejectsValuesThatAreNotObjects) {
  ColumnsLayout layout = columns_layout();
  EXPECT_EQ(layout.rejection(record("k", "[1]")),
            "value is not a JSON object, which layout=columns needs");
  EXPECT_EQ(layout.rejection(record("k", std::nullopt)), std::nullopt);
  const std::optional<std::string> problem =
      layout.rejection(record("k", "{oops"));
  ASSERT_TRUE(problem);
  EXPECT_EQ(problem->rfind("value is not valid JSON", 0), 0u) << *problem;
}

TEST(ColumnsLayout, RejectsFieldNamesThatCannotBeColumns) {
  ColumnsLayout layout = columns_layout({{"key_column", "id"}});
  EXPECT_EQ(layout.rejection(record("k", R"({"kafka_offset":1})")),
            "field \"kafka_offset\" has the name of one of the sink's own "
            "columns (\"id\", kafka_topic, kafka_partition, kafka_offset, "
            "kafka_timestamp); rename the field, or the key column with "
            "key_column");
  EXPECT_EQ(layout.rejection(record("k", R"({"id":null})")),
            "field \"id\" has the name of one of the sink's own columns "
            "(\"id\", kafka_topic, kafka_partition, kafka_offset, "
            "kafka_timestamp); rename the field, or the key column with "
            "key_column");
  EXPECT_EQ(layout.rejection(record("k", R"({"":1})")),
            "a field has an empty name, which cannot be a column name");
  const std::string longest(63, 'n');
  EXPECT_EQ(layout.rejection(record("k", "{\"" + longest + "\":1}")),
            std::nullopt);
  EXPECT_EQ(layout.rejection(record("k", "{\"" + longest + "x\":1}")),
            "field \"" + longest +
                "x\" has a name of 64 bytes, longer than PostgreSQL's limit "
                "of 63 bytes for a column name");
  const std::string huge = std::string(79, 'n') + "\xC3\xBC" + "tail";
  EXPECT_EQ(layout.rejection(record("k", "{\"" + huge + "\":1}")),
            "field \"" + std::string(79, 'n') +
                "...\" has a name of 85 bytes, longer than PostgreSQL's limit "
                "of 63 bytes for a column name");
}

TEST(ColumnsLayout, RejectsNumbersOutOfDoublePrecisionRange) {
  ColumnsLayout layout = columns_layout();
  EXPECT_EQ(layout.rejection(record("k", R"({"x":1e-400})")),
            "field \"x\" holds a number out of double precision's range, "
            "which does not fit column \"x\" of type double precision");
}

TEST(ColumnsLayout, AFieldOnlyEverNullGetsNoColumn) {
  ColumnsLayout layout = columns_layout({{"mode", "insert"}});
  const std::vector<BufferedRecord> batch = {record("k", R"({"late":null})")};
  EXPECT_EQ(layout.rejection(batch[0]), std::nullopt);
  const std::vector<Migration> migrations = layout.migrations_for(batch);
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].sql,
            "CREATE TABLE \"public\".\"users\" (\"key\" text, kafka_topic text "
            "NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint "
            "NOT NULL, kafka_timestamp timestamptz, PRIMARY KEY (kafka_topic, "
            "kafka_partition, kafka_offset))");
}

TEST(ColumnsLayout, KeyColumnMustNotBeAKafkaColumn) {
  const PostgresSinkOptions options = parse_postgres_sink_options(
      TestConfig({{"layout", "columns"}, {"key_column", "kafka_topic"}})
          .config());
  EXPECT_THROW(ColumnsLayout{options}, std::invalid_argument);
}

TEST(ColumnsLayout, MissingTableWithoutAutoCreateIsAnError) {
  ColumnsLayout layout = columns_layout({{"auto_create", "false"}});
  const std::vector<BufferedRecord> batch = {record("k", R"({"a":1})")};
  EXPECT_EQ(layout.rejection(batch[0]), std::nullopt);
  EXPECT_THROW(layout.migrations_for(batch), std::runtime_error);
}

TEST(PostgresSink, AcceptsBothLayouts) {
  const rdc_host raw{sizeof(rdc_host), nullptr, "test",
                     nullptr,          nullptr, nullptr};
  EXPECT_NO_THROW(
      PostgresSink(TestConfig({{"layout", "columns"}}).config(), Host(&raw)));
  EXPECT_NO_THROW(
      PostgresSink(TestConfig({{"layout", "jsonb"}}).config(), Host(&raw)));
}

}  // namespace
}  // namespace rdconnect::postgres_sink
