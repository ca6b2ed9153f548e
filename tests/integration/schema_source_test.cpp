// A source writing Avro: uuid_source's JSON values encoded by the host under
// the schema it registered, read back by Python's reference deserializer
// (value for value) and through the sink's convert stage into PostgreSQL
// columns; a value that does not fit the schema is dead-lettered as the
// plugin made it, with stage "encode".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "host_fixture.hpp"
#include "kafka_records.hpp"
#include "postgres_test_db.hpp"
#include "reference_serializer.hpp"

namespace rdconnect::testing {
namespace {

using nlohmann::json;

constexpr int kRecords = 300;

class SchemaSourceTest : public HostTest {
 protected:
  std::string config(std::string_view value_schema) const {
    return std::string(kConfigPrelude) + fmt::format(R"([[source]]
name = "uuids"
plugin = "uuid_source"
topic = "{0}"
partitioner = "uuid_mod"
value_format = "avro"
value_schema = '''{1}'''
[source.schema_registry]
url = "{2}"
[source.topic_creation]
partitions = 2
[source.errors]
tolerance = "all"
dlq_topic = "{0}.dlq"
[source.config]
count = {3}

[[sink]]
name = "pg"
plugin = "postgres_sink"
topics = ["{0}"]
value_format = "avro"
[sink.schema_registry]
url = "{2}"
[sink.config]
dsn = "${{env:PG_DSN}}"
schema = "{4}"
table = "users"
mode = "insert"
layout = "columns"
)",
                                                     topic_, value_schema,
                                                     serializer_.registry_url(),
                                                     kRecords, schema_.name());
  }

  ReferenceSerializer serializer_;
  ScratchSchema schema_{"avro_source"};
  std::string topic_ = unique_name("avro-source");
};

TEST_F(SchemaSourceTest,
       UuidSourceAvroReachesTheReferenceDeserializerAndPostgres) {
  // The demo's own schema (configs/uuid-avro-to-postgres.toml).
  std::ifstream file(std::filesystem::path(RDCONNECT_SOURCE_DIR) /
                     "configs/schemas/user.avsc");
  const std::string user_schema((std::istreambuf_iterator<char>(file)),
                                std::istreambuf_iterator<char>());
  ASSERT_FALSE(user_schema.empty());
  run_until_caught_up(write_config("avro.toml", config(user_schema)));

  const std::vector<json> records =
      serializer_.consume(scratch_, topic_, "avro", kRecords);
  ASSERT_EQ(records.size(), static_cast<size_t>(kRecords));
  const int32_t schema_id = records[0].at("schema_id").get<int32_t>();
  EXPECT_GT(schema_id, 0);
  std::map<std::pair<int32_t, int64_t>, json> by_coordinates;
  for (const json& record : records) {
    const json& value = record.at("value");
    EXPECT_EQ(record.at("schema_id"), schema_id);
    EXPECT_EQ(value.at("id"), record.at("key"));
    EXPECT_EQ(value.size(), 3u) << value.dump();
    by_coordinates[{record.at("partition").get<int32_t>(),
                    record.at("offset").get<int64_t>()}] = value;
  }

  auto connection = connect_postgres();
  pqxx::work tx(*connection);
  const std::string table = tx.quote_name(schema_.name()) + ".users";
  EXPECT_EQ(tx.exec1("SELECT string_agg(column_name || ' ' || data_type, ', ' "
                     "ORDER BY ordinal_position) FROM "
                     "information_schema.columns WHERE table_schema = " +
                     tx.quote(schema_.name()) +
                     " AND table_name = 'users' AND column_name IN ('id', "
                     "'seq', 'created_at')")[0]
                .as<std::string>(),
            "id uuid, seq bigint, created_at timestamp with time zone");
  size_t rows = 0;
  for (const pqxx::row& row :
       tx.exec("SELECT kafka_partition, kafka_offset, id::text, seq, "
               "to_char(created_at AT TIME ZONE 'UTC', "
               "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM " +
               table)) {
    ++rows;
    const json& value =
        by_coordinates.at({row[0].as<int32_t>(), row[1].as<int64_t>()});
    EXPECT_EQ(row[2].as<std::string>(), value.at("id").get<std::string>());
    EXPECT_EQ(row[3].as<int64_t>(), value.at("seq").get<int64_t>());
    EXPECT_EQ(row[4].as<std::string>(),
              value.at("created_at").get<std::string>());
  }
  EXPECT_EQ(rows, static_cast<size_t>(kRecords));
  EXPECT_EQ(read_records(topic_ + ".dlq").size(), 0u);
}

// A schema uuid_source's values do not fit (seq as a string): every value is
// dead-lettered as JSON, nothing reaches the topic, and the run ends 0.
TEST_F(SchemaSourceTest, ValuesThatDoNotFitTheSchemaAreDeadLetteredAsMade) {
  constexpr std::string_view kWrongSchema = R"({"type": "record",
    "name": "User", "fields": [{"name": "id", "type": "string"},
    {"name": "seq", "type": "string"},
    {"name": "created_at", "type": "string"}]})";
  run_until_caught_up(write_config("wrong.toml", config(kWrongSchema)));

  EXPECT_EQ(read_records(topic_).size(), 0u);
  const std::vector<KafkaRecord> dead = read_records(topic_ + ".dlq");
  ASSERT_EQ(dead.size(), static_cast<size_t>(kRecords));
  for (const KafkaRecord& record : dead) {
    ASSERT_TRUE(record.value.has_value());
    const json value = json::parse(*record.value);
    EXPECT_EQ(value.at("id"), record.key.value_or(""));
    std::map<std::string, std::string> headers;
    for (const KafkaHeader& header : record.headers) {
      headers[header.name] = header.value.value_or("");
    }
    EXPECT_EQ(headers["rdconnect.error.stage"], "encode");
    EXPECT_EQ(headers["rdconnect.error.class"], "AvroEncode");
    EXPECT_THAT(headers["rdconnect.error.message"],
                ::testing::HasSubstr("seq"));
  }
}

}  // namespace
}  // namespace rdconnect::testing
