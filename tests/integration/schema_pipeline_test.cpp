// Schema-registry records through the whole host: written by Python's
// confluent-kafka serializers (the reference implementation) against the
// real registry from scripts/services.sh, decoded by the sink's convert
// stage, and checked value for value in what log_sink wrote; records that
// do not decode go to the dead-letter topic with their bytes untouched.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "host_fixture.hpp"
#include "kafka_records.hpp"
#include "reference_serializer.hpp"

namespace rdconnect::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr int kRecords = 100;
constexpr int64_t kFirstDay = 19000;                 // 2022-01-08
constexpr int64_t kFirstMillis = 1'700'000'000'000;  // 2023-11-14T22:13:20Z

// Every Avro type the convert stage maps, logical types included.
constexpr std::string_view kOrderSchema = R"({
  "type": "record", "name": "Order", "namespace": "shop",
  "fields": [
    {"name": "id", "type": "string"},
    {"name": "qty", "type": "int"},
    {"name": "total", "type": "long"},
    {"name": "price", "type": "double"},
    {"name": "paid", "type": "boolean"},
    {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal",
                                "precision": 10, "scale": 2}},
    {"name": "day", "type": {"type": "int", "logicalType": "date"}},
    {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "note", "type": ["null", "string"], "default": null},
    {"name": "tags", "type": {"type": "array", "items": "string"}},
    {"name": "attrs", "type": {"type": "map", "values": "long"}},
    {"name": "status", "type": {"type": "enum", "name": "Status",
                                "symbols": ["NEW", "PAID"]}},
    {"name": "line", "type": {"type": "record", "name": "Line", "fields": [
      {"name": "sku", "type": "string"}, {"name": "units", "type": "int"}]}}
  ]})";

std::string amount_of(int i) {
  return fmt::format("{}{}.{:02}", i % 3 == 1 ? "-" : "", i * 7, i % 100);
}

// The value as the Python serializer is given it: a decimal as its text
// (the producer script makes it a Decimal), dates and timestamps as the
// numbers Avro stores.
json written_order(int i) {
  return {{"id", fmt::format("order-{}", i)},
          {"qty", i},
          {"total", int64_t{10'000'000'000} + i},
          {"price", i * 0.5},
          {"paid", i % 2 == 0},
          {"amount", amount_of(i)},
          {"day", kFirstDay + i},
          {"at", kFirstMillis + i},
          {"note", i % 2 == 0 ? json(fmt::format("n{}", i)) : json()},
          {"tags", {"a", fmt::format("b{}", i)}},
          {"attrs", {{"k", i}}},
          {"status", i % 2 == 0 ? "NEW" : "PAID"},
          {"line", {{"sku", fmt::format("s{}", i)}, {"units", i}}}};
}

// What the sink must receive for it: the logical types as text.
json decoded_order(int i) {
  using namespace std::chrono;
  json order = written_order(i);
  const year_month_day day{sys_days{days{kFirstDay + i}}};
  order["day"] = fmt::format("{:%F}", sys_days{day});
  order["at"] = fmt::format("2023-11-14T22:13:20.{:03}Z", i);
  return order;
}

class SchemaPipelineTest : public HostTest {
 protected:
  SchemaPipelineTest() { create_topic(topic_, 1); }

  int32_t produce(std::string_view schema, const std::vector<json>& values) {
    return serializer_.produce(scratch_, topic_, "avro", schema, values);
  }

  std::string sink_toml() const {
    return serializer_.avro_log_sink_config(topic_, dlq_topic_, log_path_);
  }

  /// log_sink's lines: each record's key and its value parsed as JSON.
  std::vector<std::pair<std::string, json>> logged_values() const {
    std::vector<std::pair<std::string, json>> values;
    for (const std::string& line : read_lines(log_path_)) {
      const json record = json::parse(line);
      values.emplace_back(record.at("key").get<std::string>(),
                          json::parse(record.at("value").get<std::string>()));
    }
    return values;
  }

  ReferenceSerializer serializer_;
  std::string topic_ = unique_name("schema");
  std::string dlq_topic_ = topic_ + ".dlq";
  std::filesystem::path log_path_ = scratch_ / "sink.jsonl";
};

TEST_F(SchemaPipelineTest, AvroFromTheReferenceSerializerReachesTheSinkAsJson) {
  std::vector<json> values;
  for (int i = 0; i < kRecords; ++i) values.push_back(written_order(i));
  const int32_t id = produce(kOrderSchema, values);
  ASSERT_GT(id, 0);

  run_until_caught_up(write_config("avro.toml", sink_toml()));

  const auto logged = logged_values();
  ASSERT_EQ(logged.size(), static_cast<size_t>(kRecords));
  for (int i = 0; i < kRecords; ++i) {
    EXPECT_EQ(logged[i].first, fmt::format("k{}", i));
    EXPECT_EQ(logged[i].second, decoded_order(i)) << "record " << i;
  }
  EXPECT_EQ(read_records(dlq_topic_).size(), 0u);
}

// Three kinds of poison between good records: an id the registry never
// gave, a payload cut short, bytes without the wire prefix. Each goes to
// the dead-letter topic as it was consumed, with stage "convert"; every
// good record reaches the sink.
TEST_F(SchemaPipelineTest, RecordsThatDoNotDecodeAreDeadLetteredUntouched) {
  const int32_t id =
      produce(kOrderSchema, {written_order(0), written_order(1)});
  ASSERT_GT(id, 0);
  const std::vector<KafkaRecord> produced = read_records(topic_);
  ASSERT_EQ(produced.size(), 2u);
  const std::string good = *produced[0].value;
  std::string unknown_id = good;
  unknown_id.replace(1, 4, std::string("\x7f\x00\x00\x01", 4));
  const std::string cut = good.substr(0, good.size() / 2);
  std::vector<KafkaRecord> poison = {
      {.key = "unknown", .value = unknown_id, .headers = {}},
      {.key = "cut", .value = cut, .headers = {}},
      {.key = "plain", .value = R"({"id": "not framed"})", .headers = {}},
      {.key = "again", .value = good, .headers = {}},
  };
  produce_records(topic_, poison);

  run_until_caught_up(write_config("dlq.toml", sink_toml()));

  const auto logged = logged_values();
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[0].second, decoded_order(0));
  EXPECT_EQ(logged[1].second, decoded_order(1));
  EXPECT_EQ(logged[2].first, "again");
  EXPECT_EQ(logged[2].second, decoded_order(0));

  const std::vector<KafkaRecord> dead = read_records(dlq_topic_);
  ASSERT_EQ(dead.size(), 3u);
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"unknown", {"UnknownSchema", "schema id 2130706433 is not in the"}},
      {"cut", {"AvroDecode", "does not decode against schema id"}},
      {"plain", {"NotWireFormat", "not the wire format's magic byte"}},
  };
  for (size_t i = 0; i < dead.size(); ++i) {
    const KafkaRecord& record = dead[i];
    ASSERT_TRUE(record.key.has_value());
    EXPECT_EQ(record.key, poison[i].key);
    EXPECT_EQ(record.value, poison[i].value)
        << "bytes changed: " << *record.key;
    std::map<std::string, std::string> headers;
    for (const KafkaHeader& header : record.headers) {
      headers[header.name] = header.value.value_or("");
    }
    EXPECT_EQ(headers["rdconnect.error.stage"], "convert");
    EXPECT_EQ(headers["rdconnect.error.offset"],
              std::to_string(poison[i].offset));
    const auto& [error_class, reason] = expected.at(*record.key);
    EXPECT_EQ(headers["rdconnect.error.class"], error_class);
    EXPECT_THAT(headers["rdconnect.error.message"], HasSubstr(reason));
  }
}

}  // namespace
}  // namespace rdconnect::testing
