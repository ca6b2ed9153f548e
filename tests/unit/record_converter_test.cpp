// The convert stage against a fake registry served on loopback: what each
// format hands the plugin, and the per-record errors of records that do not
// read as their format.
#include <httplib.h>

#include <atomic>
#include <chrono>

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "schema/record_converter.hpp"
#include "schema/wire_format.hpp"

namespace rdconnect::schema {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kPairSchema =
    R"({"type":"record","name":"Pair","fields":[)"
    R"({"name":"id","type":"string"},{"name":"n","type":"int"}]})";

// The registry's answers: id 1 Avro, id 2 a JSON Schema, id 3 Protobuf,
// id 4 an Avro schema that does not parse, id 503 overloaded, id 401
// refused; any other id unknown.
class FakeRegistry {
 public:
  FakeRegistry() {
    server_.Get(
        R"(/ccompat/schemas/ids/(\d+))",
        [this](const httplib::Request& request, httplib::Response& response) {
          ++requests_;
          answer(std::stoi(request.matches[1]), response);
        });
    // stop() waits for the client's kept-alive connection to time out.
    server_.set_keep_alive_timeout(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // A stop() before the accept loop runs would be lost, and the loop
    // would then never end.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!server_.is_running() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    EXPECT_TRUE(server_.is_running()) << "the fake registry never started";
  }
  ~FakeRegistry() { stop(); }

  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/ccompat";
  }
  int requests() const { return requests_; }

 private:
  static void answer(int id, httplib::Response& response) {
    const auto schema = [&](std::string type, std::string_view text) {
      nlohmann::json body{{"schema", text}};
      if (!type.empty()) body["schemaType"] = type;
      response.set_content(body.dump(), "application/json");
    };
    switch (id) {
      case 1:
        return schema("", kPairSchema);  // Confluent leaves AVRO out
      case 2:
        return schema("JSON", R"({"type":"object"})");
      case 3:
        return schema("PROTOBUF", "syntax = \"proto3\";");
      case 4:
        return schema("AVRO", R"({"type":"recrod"})");
      case 503:
        response.status = 503;
        return;
      case 401:
        response.status = 401;
        return;
      default:
        response.status = 404;
        response.set_content(R"({"error_code":40403,"message":"not found"})",
                             "application/json");
    }
  }

  httplib::Server server_;
  int port_ = 0;
  std::atomic<int> requests_ = 0;
  std::thread thread_;
};

std::vector<std::byte> framed(int32_t id, std::string_view payload) {
  std::vector<std::byte> bytes{std::byte{0}};
  for (int shift = 24; shift >= 0; shift -= 8) {
    bytes.push_back(static_cast<std::byte>((id >> shift) & 0xff));
  }
  for (char c : payload) bytes.push_back(static_cast<std::byte>(c));
  return bytes;
}

std::span<const std::byte> text_bytes(std::string_view text) {
  return {reinterpret_cast<const std::byte*>(text.data()), text.size()};
}

// {"id": "ab", "n": 21}: a length-2 string, then 21 zigzag-encoded.
const std::string kPairDatum =
    "\x04"
    "ab\x2a";

class RecordConverterTest : public ::testing::Test {
 protected:
  config::SinkConfig sink(config::RecordFormat key,
                          config::RecordFormat value) const {
    config::SinkConfig config;
    config.key_format = key;
    config.value_format = value;
    config.schema_registry =
        config::SchemaRegistrySettings{.url = registry_.url(),
                                       .username = "",
                                       .password = "",
                                       .timeout_ms = 2000,
                                       .cache_capacity = 8};
    return config;
  }
  // Fetches the schema first, as the sink task does for its batch.
  static ConvertOutcome convert(RecordConverter& converter,
                                std::span<const std::byte> bytes) {
    converter.start_batch();
    converter.fetch_schema(RecordPart::value, bytes);
    return converter.convert(RecordPart::value, bytes);
  }
  static ConvertFailure failure_of(const ConvertOutcome& outcome) {
    const auto* failure = std::get_if<ConvertFailure>(&outcome);
    if (failure == nullptr) {
      ADD_FAILURE() << "expected a failure";
      return {};
    }
    return *failure;
  }

  FakeRegistry registry_;
};

TEST_F(RecordConverterTest, AvroValuesBecomeJsonAndSchemasAreFetchedOnce) {
  RecordConverter converter(
      sink(config::RecordFormat::bytes, config::RecordFormat::avro));
  ASSERT_TRUE(converter.converts());
  const std::vector<std::byte> record = framed(1, kPairDatum);
  for (int i = 0; i < 3; ++i) {
    const ConvertOutcome outcome = convert(converter, record);
    const auto* json = std::get_if<std::string>(&outcome);
    ASSERT_NE(json, nullptr);
    EXPECT_EQ(*json, R"({"id":"ab","n":21})");
  }
  EXPECT_EQ(registry_.requests(), 1);
}

TEST_F(RecordConverterTest, NullPartsAndBytesPassUnchanged) {
  RecordConverter converter(
      sink(config::RecordFormat::bytes, config::RecordFormat::avro));
  EXPECT_TRUE(std::holds_alternative<Unchanged>(
      converter.convert(RecordPart::value, {})));
  EXPECT_TRUE(std::holds_alternative<Unchanged>(
      converter.convert(RecordPart::key, text_bytes("\xff\x00"))));
  RecordConverter nothing(
      sink(config::RecordFormat::bytes, config::RecordFormat::bytes));
  EXPECT_FALSE(nothing.converts());
}

TEST_F(RecordConverterTest, RecordsThatDoNotReadAsTheirFormatFail) {
  RecordConverter converter(
      sink(config::RecordFormat::bytes, config::RecordFormat::avro));
  const ConvertFailure short_one =
      failure_of(convert(converter, text_bytes("{}")));
  EXPECT_EQ(short_one.error_class, "NotWireFormat");
  EXPECT_THAT(short_one.message, HasSubstr("value: 2 byte(s), shorter than"));

  const ConvertFailure unknown =
      failure_of(convert(converter, framed(77, kPairDatum)));
  EXPECT_EQ(unknown.error_class, "UnknownSchema");
  EXPECT_THAT(
      unknown.message,
      HasSubstr("value: schema id 77 is not in the schema registry at " +
                registry_.url()));

  const ConvertFailure truncated =
      failure_of(convert(converter, framed(1, kPairDatum.substr(0, 2))));
  EXPECT_EQ(truncated.error_class, "AvroDecode");
  EXPECT_THAT(truncated.message,
              HasSubstr("does not decode against schema id 1"));

  const ConvertFailure protobuf = failure_of(convert(converter, framed(3, "")));
  EXPECT_EQ(protobuf.error_class, "UnusableSchema");
  EXPECT_THAT(protobuf.message,
              HasSubstr("schema id 3 is a PROTOBUF schema, but the "
                        "connector's value_format is avro"));

  const ConvertFailure broken = failure_of(convert(converter, framed(4, "")));
  EXPECT_EQ(broken.error_class, "UnusableSchema");
  EXPECT_THAT(broken.message, HasSubstr("Avro schema does not parse"));
}

TEST_F(RecordConverterTest, JsonSchemaValuesAreThePayloadAfterThePrefix) {
  RecordConverter converter(
      sink(config::RecordFormat::bytes, config::RecordFormat::json_schema));
  const ConvertOutcome outcome = convert(converter, framed(2, R"({"a":1})"));
  const auto* json = std::get_if<std::string>(&outcome);
  ASSERT_NE(json, nullptr);
  EXPECT_EQ(*json, R"({"a":1})");
  EXPECT_EQ(failure_of(convert(converter, framed(2, "{"))).error_class,
            "InvalidJson");
  EXPECT_EQ(failure_of(convert(converter, framed(1, "{}"))).error_class,
            "UnusableSchema");
}

TEST_F(RecordConverterTest, StringAndJsonFormatsOnlyCheck) {
  RecordConverter converter(
      sink(config::RecordFormat::string, config::RecordFormat::json));
  EXPECT_TRUE(std::holds_alternative<Unchanged>(
      converter.convert(RecordPart::key, text_bytes("h\xc3\xa9"))));
  const auto key = converter.convert(RecordPart::key, text_bytes("\xc3"));
  EXPECT_EQ(failure_of(key).error_class, "InvalidUtf8");
  EXPECT_THAT(failure_of(key).message, HasSubstr("key: not valid UTF-8"));
  EXPECT_TRUE(std::holds_alternative<Unchanged>(
      converter.convert(RecordPart::value, text_bytes(R"([1, {"a": null}])"))));
  EXPECT_EQ(failure_of(
                converter.convert(RecordPart::value, text_bytes("{\"a\":1} x")))
                .error_class,
            "InvalidJson");
}

TEST_F(RecordConverterTest, AnUnreachableRegistryIsRetriableAndARefusalIsNot) {
  RecordConverter converter(
      sink(config::RecordFormat::bytes, config::RecordFormat::avro));
  converter.start_batch();
  try {
    converter.fetch_schema(RecordPart::value, framed(503, ""));
    ADD_FAILURE() << "a 503 was taken as an answer";
  } catch (const Error& error) {
    EXPECT_TRUE(error.is_retriable()) << error.what();
  }
  try {
    converter.fetch_schema(RecordPart::value, framed(401, ""));
    ADD_FAILURE() << "a 401 was taken as an answer";
  } catch (const Error& error) {
    EXPECT_FALSE(error.is_retriable()) << error.what();
    EXPECT_THAT(error.what(), HasSubstr("username and password"));
  }
  // Fetched before the registry went away: still at hand.
  converter.fetch_schema(RecordPart::value, framed(1, kPairDatum));
  registry_.stop();
  converter.start_batch();
  converter.fetch_schema(RecordPart::value, framed(1, kPairDatum));
  try {
    converter.fetch_schema(RecordPart::value, framed(9, ""));
    ADD_FAILURE() << "a stopped registry answered";
  } catch (const Error& error) {
    EXPECT_TRUE(error.is_retriable()) << error.what();
    EXPECT_THAT(error.what(), HasSubstr("unreachable"));
  }
  EXPECT_TRUE(std::holds_alternative<std::string>(
      converter.convert(RecordPart::value, framed(1, kPairDatum))));
}

TEST(WireFormatTest, ReadsTheIdBigEndian) {
  const std::vector<std::byte> bytes = framed(0x01020304, "x");
  const auto frame = read_wire_frame(bytes);
  const auto* read = std::get_if<WireFrame>(&frame);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->schema_id, 0x01020304);
  EXPECT_EQ(read->payload.size(), 1u);
  std::vector<std::byte> wrong = bytes;
  wrong[0] = std::byte{1};
  EXPECT_THAT(std::get<NotWireFormat>(read_wire_frame(wrong)).reason,
              HasSubstr("0x01, not the wire format's magic byte"));
}

}  // namespace
}  // namespace rdconnect::schema
