// Unit tests of Avro binary -> JSON decoding: data written by avro-c's own
// writer where it can write it, hand-encoded bytes for what no writer
// would write.
#include "schema/avro_decoder.hpp"
#include "avro_test_values.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <avro.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "schema/avro_schema.hpp"

// The largest single allocation made while `g_watch_allocations` is set:
// a hostile length must be refused before anything is sized by it.
namespace {
std::atomic<bool> g_watch_allocations{false};
std::atomic<size_t> g_largest_allocation{0};
}  // namespace

void* operator new(size_t size) {
  if (g_watch_allocations.load(std::memory_order_relaxed)) {
    size_t seen = g_largest_allocation.load(std::memory_order_relaxed);
    while (size > seen && !g_largest_allocation.compare_exchange_weak(
                              seen, size, std::memory_order_relaxed)) {
    }
  }
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
// gcc sees free() where the memory came from operator new: the pair above
// is what makes that right.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, size_t) noexcept { std::free(memory); }
#pragma GCC diagnostic pop

namespace rdconnect::schema {
namespace {

using namespace avro_test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string decode(std::string_view schema, const Bytes& datum) {
  return decode_avro(AvroSchema::parse(schema), datum);
}

// The AvroDecodeError's message, or a failure when there is none.
std::string decode_error(std::string_view schema, const Bytes& datum) {
  const AvroSchema parsed = AvroSchema::parse(schema);
  try {
    const std::string json = decode_avro(parsed, datum);
    ADD_FAILURE() << "decoded to " << json;
    return "";
  } catch (const AvroDecodeError& error) {
    return error.what();
  }
}

// ---- values ----------------------------------------------------------------

constexpr std::string_view kPrimitives = R"({
  "type": "record", "name": "Primitives", "fields": [
    {"name": "n", "type": "null"},
    {"name": "yes", "type": "boolean"},
    {"name": "no", "type": "boolean"},
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "s", "type": "string"},
    {"name": "b", "type": "bytes"}
  ]})";

TEST(AvroDecoderTest, DecodesEveryPrimitive) {
  const AvroSchema schema = AvroSchema::parse(kPrimitives);
  GenericValue value(schema);
  avro_value_t child = field(value.get(), "n");
  avro_value_set_null(&child);
  child = field(value.get(), "yes");
  avro_value_set_boolean(&child, 1);
  child = field(value.get(), "no");
  avro_value_set_boolean(&child, 0);
  child = field(value.get(), "i");
  avro_value_set_int(&child, INT32_MIN);
  child = field(value.get(), "l");
  avro_value_set_long(&child, INT64_MAX);
  child = field(value.get(), "f");
  avro_value_set_float(&child, 0.1f);
  child = field(value.get(), "d");
  avro_value_set_double(&child, -2.5e-300);
  child = field(value.get(), "s");
  avro_value_set_string(&child, "h\xc3\xa9 said \"hi\"\\\n\x01");
  child = field(value.get(), "b");
  const char bytes[] = {0x00, 0x01, 0x02, static_cast<char>(0xff)};
  avro_value_set_bytes(&child, const_cast<char*>(bytes), sizeof bytes);

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"n":null,"yes":true,"no":false,"i":-2147483648,)"
            R"("l":9223372036854775807,"f":0.1,"d":-2.5e-300,)"
            R"("s":"h)"
            "\xc3\xa9"
            R"( said \"hi\"\\\n\u0001","b":"AAEC/w=="})");
}

TEST(AvroDecoderTest, DecodesTopLevelPrimitives) {
  EXPECT_EQ(decode(R"("long")", varint(INT64_MIN)), "-9223372036854775808");
  EXPECT_EQ(decode(R"("string")", text("")), R"("")");
  EXPECT_EQ(decode(R"("null")", {}), "null");
  EXPECT_EQ(decode(R"("double")", raw({0, 0, 0, 0, 0, 0, 0xf0, 0x3f})), "1");
}

TEST(AvroDecoderTest, Base64PadsEveryRemainder) {
  EXPECT_EQ(decode(R"("bytes")", text("")), R"("")");
  EXPECT_EQ(decode(R"("bytes")", text("f")), R"("Zg==")");
  EXPECT_EQ(decode(R"("bytes")", text("fo")), R"("Zm8=")");
  EXPECT_EQ(decode(R"("bytes")", text("foo")), R"("Zm9v")");
  EXPECT_EQ(decode(R"("bytes")", text("foob")), R"("Zm9vYg==")");
}

TEST(AvroDecoderTest, WritesNanAndInfinitiesAsStrings) {
  const AvroSchema schema = AvroSchema::parse(R"({
    "type": "record", "name": "Floats", "fields": [
      {"name": "a", "type": "double"}, {"name": "b", "type": "double"},
      {"name": "c", "type": "double"}, {"name": "d", "type": "float"},
      {"name": "e", "type": "float"}]})");
  GenericValue value(schema);
  avro_value_t child = field(value.get(), "a");
  avro_value_set_double(&child, std::numeric_limits<double>::quiet_NaN());
  child = field(value.get(), "b");
  avro_value_set_double(&child, std::numeric_limits<double>::infinity());
  child = field(value.get(), "c");
  avro_value_set_double(&child, -std::numeric_limits<double>::infinity());
  child = field(value.get(), "d");
  avro_value_set_float(&child, std::numeric_limits<float>::quiet_NaN());
  child = field(value.get(), "e");
  avro_value_set_float(&child, -std::numeric_limits<float>::infinity());

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"a":"NaN","b":"Infinity","c":"-Infinity","d":"NaN",)"
            R"("e":"-Infinity"})");
}

TEST(AvroDecoderTest, DecodesNestedRecords) {
  const AvroSchema schema = AvroSchema::parse(R"({
    "type": "record", "name": "Outer", "fields": [
      {"name": "id", "type": "int"},
      {"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
        {"name": "x", "type": "long"},
        {"name": "deeper", "type": {"type": "record", "name": "Deeper",
          "fields": [{"name": "s", "type": "string"}]}}]}},
      {"name": "again", "type": "Inner"}]})");
  GenericValue value(schema);
  avro_value_t id = field(value.get(), "id");
  avro_value_set_int(&id, 7);
  for (const char* name : {"inner", "again"}) {
    avro_value_t inner = field(value.get(), name);
    avro_value_t x = field(&inner, "x");
    avro_value_set_long(&x, name[0] == 'i' ? -3 : 4);
    avro_value_t deeper = field(&inner, "deeper");
    avro_value_t s = field(&deeper, "s");
    avro_value_set_string(&s, name);
  }

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"id":7,"inner":{"x":-3,"deeper":{"s":"inner"}},)"
            R"("again":{"x":4,"deeper":{"s":"again"}}})");
}

constexpr std::string_view kNullable = R"({
  "type": "record", "name": "Nullable", "fields": [
    {"name": "a", "type": ["null", "string"]},
    {"name": "b", "type": ["null", "string"]},
    {"name": "c", "type": ["long", "null"]}]})";

TEST(AvroDecoderTest, DecodesUnionsAsTheBranchValueItself) {
  const AvroSchema schema = AvroSchema::parse(kNullable);
  GenericValue value(schema);
  avro_value_t a = field(value.get(), "a");
  avro_value_t a_null = branch(&a, 0);
  avro_value_set_null(&a_null);
  avro_value_t b = field(value.get(), "b");
  avro_value_t b_string = branch(&b, 1);
  avro_value_set_string(&b_string, "there");
  avro_value_t c = field(value.get(), "c");
  avro_value_t c_long = branch(&c, 0);
  avro_value_set_long(&c_long, 42);

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"a":null,"b":"there","c":42})");
}

TEST(AvroDecoderTest, DecodesEnumsAsTheirSymbol) {
  constexpr std::string_view kSuit =
      R"({"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS"]})";
  EXPECT_EQ(decode(kSuit, varint(0)), R"("SPADES")");
  EXPECT_EQ(decode(kSuit, varint(1)), R"("HEARTS")");
}

TEST(AvroDecoderTest, DecodesArraysAndMaps) {
  const AvroSchema schema = AvroSchema::parse(R"({
    "type": "record", "name": "Collections", "fields": [
      {"name": "empty", "type": {"type": "array", "items": "int"}},
      {"name": "ints", "type": {"type": "array", "items": "int"}},
      {"name": "attrs", "type": {"type": "map", "values": "string"}},
      {"name": "none", "type": {"type": "map", "values": "string"}}]})");
  GenericValue value(schema);
  avro_value_t ints = field(value.get(), "ints");
  for (int i : {3, -1, 200}) {
    avro_value_t item = appended(&ints);
    avro_value_set_int(&item, i);
  }
  avro_value_t attrs = field(value.get(), "attrs");
  for (const char* key : {"colour", "size"}) {
    avro_value_t entry;
    ASSERT_EQ(avro_value_add(&attrs, key, &entry, nullptr, nullptr), 0);
    avro_value_set_string(&entry, key[0] == 'c' ? "red" : "L");
  }

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"empty":[],"ints":[3,-1,200],)"
            R"("attrs":{"colour":"red","size":"L"},"none":{}})");
}

TEST(AvroDecoderTest, ReadsBlocksWithAByteSizeAndManyBlocks) {
  constexpr std::string_view kLongs = R"({"type": "array", "items": "long"})";
  // Block of 2 (count -2, then its 2 bytes), block of 1, end.
  const Bytes datum = cat({varint(-2), varint(2), varint(5), varint(-6),
                           varint(1), varint(7), varint(0)});
  EXPECT_EQ(decode(kLongs, datum), "[5,-6,7]");

  constexpr std::string_view kMap = R"({"type": "map", "values": "int"})";
  const Bytes map = cat({varint(-1), varint(3), text("k"), varint(9), varint(1),
                         text("j"), varint(1), varint(0)});
  EXPECT_EQ(decode(kMap, map), R"({"k":9,"j":1})");
}

TEST(AvroDecoderTest, DecodesFixedAsBase64) {
  const Bytes datum = raw({0xde, 0xad, 0xbe, 0xef, 0x00});
  EXPECT_EQ(decode(R"({"type": "fixed", "name": "F", "size": 5})", datum),
            R"("3q2+7wA=")");
  EXPECT_EQ(decode(R"({"type": "fixed", "name": "Empty", "size": 0})", {}),
            R"("")");
}

TEST(AvroDecoderTest, DecodesRecursiveSchemas) {
  constexpr std::string_view kList = R"({
    "type": "record", "name": "Node", "fields": [
      {"name": "value", "type": "int"},
      {"name": "next", "type": ["null", "Node"]}]})";
  const Bytes datum =
      cat({varint(1), varint(1), varint(2), varint(1), varint(3), varint(0)});
  EXPECT_EQ(decode(kList, datum),
            R"({"value":1,"next":{"value":2,"next":{"value":3,"next":null}}})");
}

// ---- logical types ---------------------------------------------------------

std::string decimal(const Bytes& unscaled, int scale) {
  const std::string schema = nlohmann::json{
      {"type", "bytes"},
      {"logicalType", "decimal"},
      {"precision", 1000},
      {"scale", scale}}.dump();
  Bytes datum = varint(static_cast<int64_t>(unscaled.size()));
  datum.insert(datum.end(), unscaled.begin(), unscaled.end());
  return decode(schema, datum);
}

TEST(AvroDecoderTest, DecodesDecimalsExactly) {
  EXPECT_EQ(decimal(raw({0xfb, 0x2e}), 2), R"("-12.34")");
  EXPECT_EQ(decimal(raw({0x05}), 2), R"("0.05")");
  EXPECT_EQ(decimal(raw({0xce}), 2), R"("-0.50")");
  EXPECT_EQ(decimal(raw({0x7b}), 0), R"("123")");
  EXPECT_EQ(decimal(raw({0x00}), 3), R"("0.000")");
  EXPECT_EQ(decimal(raw({0x80}), 0), R"("-128")");
  EXPECT_EQ(decimal(raw({0xff}), 1), R"("-0.1")");
  // Sign-extension bytes do not change the value.
  EXPECT_EQ(decimal(raw({0xff, 0xff, 0xfb, 0x2e}), 2), R"("-12.34")");
  EXPECT_EQ(decimal(raw({0x00, 0x00, 0x80}), 0), R"("128")");
}

TEST(AvroDecoderTest, DecodesDecimalsBeyond128Bits) {
  Bytes two_to_200 = raw({0x01});
  two_to_200.resize(26);  // 0x01 then 25 zero bytes
  EXPECT_EQ(
      decimal(two_to_200, 0),
      R"("1606938044258990275541962092341162602522202993782792835301376")");
  Bytes minus = raw({0xff});
  minus.resize(26);
  EXPECT_EQ(
      decimal(minus, 10),
      R"("-160693804425899027554196209234116260252220299378279.2835301376")");
}

TEST(AvroDecoderTest, DecodesFixedDecimals) {
  constexpr std::string_view kMoney = R"({"type": "fixed", "name": "Money",
    "size": 16, "logicalType": "decimal", "precision": 38, "scale": 4})";
  // -12345678901234567890123456789 in 16 bytes.
  const Bytes datum = raw({0xff, 0xff, 0xff, 0xff, 0xd8, 0x1b, 0xe4, 0xcd, 0xb9,
                           0x41, 0x36, 0x4e, 0x91, 0xc6, 0x7e, 0xeb});
  EXPECT_EQ(decode(kMoney, datum), R"("-1234567890123456789012345.6789")");
}

TEST(AvroDecoderTest, DecodesUuidsDatesAndTimes) {
  const AvroSchema schema = AvroSchema::parse(R"({
    "type": "record", "name": "Times", "fields": [
      {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "old", "type": {"type": "int", "logicalType": "date"}},
      {"name": "ms", "type": {"type": "int", "logicalType": "time-millis"}},
      {"name": "us", "type": {"type": "long", "logicalType": "time-micros"}},
      {"name": "ts", "type": {"type": "long",
                              "logicalType": "timestamp-millis"}},
      {"name": "tsu", "type": {"type": "long",
                               "logicalType": "timestamp-micros"}},
      {"name": "lts", "type": {"type": "long",
                               "logicalType": "local-timestamp-millis"}},
      {"name": "ltsu", "type": {"type": "long",
                                "logicalType": "local-timestamp-micros"}}]})");
  GenericValue value(schema);
  avro_value_t child = field(value.get(), "id");
  avro_value_set_string(&child, "0f8fad5b-d9cb-469f-a165-70867728950e");
  child = field(value.get(), "day");
  avro_value_set_int(&child, 20794);
  child = field(value.get(), "old");
  avro_value_set_int(&child, -25567);
  child = field(value.get(), "ms");
  avro_value_set_int(&child, 84665123);
  child = field(value.get(), "us");
  avro_value_set_long(&child, 84665123456);
  child = field(value.get(), "ts");
  avro_value_set_long(&child, 1796686265123);
  child = field(value.get(), "tsu");
  avro_value_set_long(&child, 1796686265123456);
  child = field(value.get(), "lts");
  avro_value_set_long(&child, 1796686265123);
  child = field(value.get(), "ltsu");
  avro_value_set_long(&child, 1796686265123456);

  EXPECT_EQ(decode_avro(schema, value.encode()),
            R"({"id":"0f8fad5b-d9cb-469f-a165-70867728950e",)"
            R"("day":"2026-12-07","old":"1900-01-01",)"
            R"("ms":"23:31:05.123","us":"23:31:05.123456",)"
            R"("ts":"2026-12-07T23:31:05.123Z",)"
            R"("tsu":"2026-12-07T23:31:05.123456Z",)"
            R"("lts":"2026-12-07T23:31:05.123",)"
            R"("ltsu":"2026-12-07T23:31:05.123456"})");
}

constexpr std::string_view kTimestampMillis =
    R"({"type": "long", "logicalType": "timestamp-millis"})";
constexpr std::string_view kTimestampMicros =
    R"({"type": "long", "logicalType": "timestamp-micros"})";
constexpr std::string_view kDate = R"({"type": "int", "logicalType": "date"})";

TEST(AvroDecoderTest, DecodesTimesBefore1970) {
  EXPECT_EQ(decode(kTimestampMillis, varint(0)),
            R"("1970-01-01T00:00:00.000Z")");
  EXPECT_EQ(decode(kTimestampMillis, varint(-1)),
            R"("1969-12-31T23:59:59.999Z")");
  EXPECT_EQ(decode(kTimestampMillis, varint(-86'400'001)),
            R"("1969-12-30T23:59:59.999Z")");
  EXPECT_EQ(decode(kTimestampMillis, varint(-2'208'945'600'000)),
            R"("1900-01-01T12:00:00.000Z")");
  EXPECT_EQ(decode(kTimestampMicros, varint(-1)),
            R"("1969-12-31T23:59:59.999999Z")");
  EXPECT_EQ(decode(kDate, varint(-1)), R"("1969-12-31")");
  EXPECT_EQ(decode(kDate, varint(-719'162)), R"("0001-01-01")");
  EXPECT_EQ(decode(kDate, varint(-719'528)), R"("0000-01-01")");
}

TEST(AvroDecoderTest, RejectsDatesOutsideFourDigitYears) {
  EXPECT_THAT(decode_error(kDate, varint(-719'529)),
              HasSubstr("outside the years 0000 to 9999"));
  EXPECT_THAT(decode_error(kTimestampMillis, varint(INT64_MAX)),
              HasSubstr("outside the years 0000 to 9999"));
  EXPECT_THAT(decode_error(kTimestampMicros, varint(INT64_MIN)),
              HasSubstr("outside the years 0000 to 9999"));
  EXPECT_EQ(decode(kDate, varint(2'932'896)), R"("9999-12-31")");
}

TEST(AvroDecoderTest, RejectsTimesOfDayOutsideADay) {
  constexpr std::string_view kTime =
      R"({"type": "int", "logicalType": "time-millis"})";
  EXPECT_EQ(decode(kTime, varint(86'399'999)), R"("23:59:59.999")");
  EXPECT_THAT(decode_error(kTime, varint(86'400'000)),
              HasSubstr("not within a day"));
  EXPECT_THAT(decode_error(kTime, varint(-1)), HasSubstr("not within a day"));
}

TEST(AvroDecoderTest, DecodesUnknownAndMisplacedLogicalTypesAsUnderlying) {
  EXPECT_EQ(decode(R"({"type": "long", "logicalType": "timestamp-nanos"})",
                   varint(5)),
            "5");
  EXPECT_EQ(decode(R"({"type": "string", "logicalType": "date"})", text("x")),
            R"("x")");
  // No precision: not a valid decimal, so bytes.
  EXPECT_EQ(
      decode(R"({"type": "bytes", "logicalType": "decimal"})", text("\x01")),
      R"("AQ==")");
  // Scale above precision.
  EXPECT_EQ(decode(R"({"type": "bytes", "logicalType": "decimal",
                       "precision": 2, "scale": 3})",
                   text("\x01")),
            R"("AQ==")");
  // More digits than 2 bytes hold.
  EXPECT_EQ(decode(R"({"type": "fixed", "name": "F", "size": 2,
                       "logicalType": "decimal", "precision": 5})",
                   raw({0x00, 0x01})),
            R"("AAE=")");
}

// ---- errors ----------------------------------------------------------------

constexpr std::string_view kEnvelope = R"({
  "type": "record", "name": "Envelope", "fields": [
    {"name": "order", "type": {"type": "record", "name": "Order", "fields": [
      {"name": "id", "type": "long"},
      {"name": "lines", "type": {"type": "array", "items": {
        "type": "record", "name": "Line", "fields": [
          {"name": "sku", "type": "string"},
          {"name": "price", "type": "double"}]}}}]}}]})";

TEST(AvroDecoderTest, TruncatedDatumNamesTheField) {
  const AvroSchema schema = AvroSchema::parse(kEnvelope);
  GenericValue value(schema);
  avro_value_t order = field(value.get(), "order");
  avro_value_t lines = field(&order, "lines");
  for (int i = 0; i < 4; ++i) {
    avro_value_t line = appended(&lines);
    avro_value_t sku = field(&line, "sku");
    avro_value_set_string(&sku, "A-1");
    avro_value_t price = field(&line, "price");
    avro_value_set_double(&price, 9.5);
  }
  Bytes datum = value.encode();
  // The end-of-array 0 and half of the last price.
  datum.resize(datum.size() - 5);

  try {
    decode_avro(schema, datum);
    FAIL() << "decoded a truncated datum";
  } catch (const AvroDecodeError& error) {
    EXPECT_STREQ(error.what(),
                 "field 'order.lines[3].price': truncated: needs 8 byte(s), "
                 "4 left");
    EXPECT_EQ(error.field_path(), "order.lines[3].price");
  }
}

TEST(AvroDecoderTest, NamesMapKeysInThePath) {
  EXPECT_EQ(decode_error(R"({"type": "map", "values": "long"})",
                         cat({varint(1), text("colour")})),
            R"(field '["colour"]': truncated: the data ends inside a number)");
}

TEST(AvroDecoderTest, RejectsTrailingBytes) {
  EXPECT_EQ(decode_error(R"("int")", cat({varint(1), raw({0, 0})})),
            "datum: 2 byte(s) left after the value: trailing data, or not "
            "written with this schema");
}

TEST(AvroDecoderTest, RejectsAHugeStringLengthWithoutAllocatingIt) {
  const AvroSchema schema = AvroSchema::parse(R"({"type": "record",
    "name": "R", "fields": [{"name": "s", "type": "string"}]})");
  const Bytes datum = cat({varint(int64_t{1} << 60), raw({'a', 'b'})});
  g_largest_allocation = 0;
  g_watch_allocations = true;
  std::string message;
  try {
    decode_avro(schema, datum);
  } catch (const AvroDecodeError& error) {
    message = error.what();
  }
  g_watch_allocations = false;
  EXPECT_EQ(message,
            "field 's': truncated: a length of 1152921504606846976 byte(s), "
            "2 left");
  EXPECT_LT(g_largest_allocation.load(), size_t{4096});
}

TEST(AvroDecoderTest, RejectsNegativeLengths) {
  EXPECT_EQ(decode_error(R"("bytes")", varint(-3)),
            "datum: negative length -3");
}

TEST(AvroDecoderTest, RejectsAHugeCountOfEmptyItemsQuickly) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THAT(decode_error(R"({"type": "array", "items": "null"})",
                           cat({varint(int64_t{1} << 40), varint(0)})),
              HasSubstr("a block of 1099511627776 items, beyond the 1000000"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  // Within the cap they decode, and the cap is per datum, not per block.
  EXPECT_EQ(decode(R"({"type": "array", "items": "null"})",
                   cat({varint(3), varint(0)})),
            "[null,null,null]");
  EXPECT_THAT(decode_error(R"({"type": "array", "items": "null"})",
                           cat({varint(600'000), varint(600'000), varint(0)})),
              HasSubstr("a block of 600000 items, beyond the 1000000"));
}

TEST(AvroDecoderTest, RejectsACountOfItemsTheBytesLeftCannotHold) {
  EXPECT_EQ(decode_error(R"({"type": "array", "items": "long"})",
                         cat({varint(1000), varint(1), varint(2)})),
            "datum: truncated: a block of 1000 items, 2 byte(s) left");
  EXPECT_EQ(decode_error(R"({"type": "map", "values": "null"})",
                         cat({varint(int64_t{1} << 40)})),
            "datum: truncated: a block of 1099511627776 items, 0 byte(s) "
            "left");
}

TEST(AvroDecoderTest, ChecksABlocksByteSize) {
  constexpr std::string_view kLongs = R"({"type": "array", "items": "long"})";
  EXPECT_EQ(decode_error(kLongs, cat({varint(-1), varint(2), varint(5),
                                      varint(0), varint(0)})),
            "datum: a block said it ends at byte 4, its items end at byte 3");
  EXPECT_EQ(decode_error(kLongs, cat({varint(-1), varint(9), varint(5)})),
            "datum: truncated: a block of 9 byte(s), 1 left");
  EXPECT_EQ(decode_error(kLongs, cat({varint(INT64_MIN)})),
            "datum: a block count of -2^63");
}

TEST(AvroDecoderTest, RejectsUnionIndexesOutOfRange) {
  const std::string schema = R"({"type": "record", "name": "R", "fields": [
    {"name": "maybe", "type": ["null", "string"]}]})";
  EXPECT_EQ(decode_error(schema, varint(2)),
            "field 'maybe': a union index of 2, not in 0 to 1");
  EXPECT_EQ(decode_error(schema, varint(-1)),
            "field 'maybe': a union index of -1, not in 0 to 1");
}

TEST(AvroDecoderTest, RejectsEnumIndexesOutOfRange) {
  EXPECT_EQ(decode_error(R"({"type": "enum", "name": "E",
                             "symbols": ["A", "B", "C"]})",
                         varint(3)),
            "datum: an enum index of 3, not in 0 to 2");
}

TEST(AvroDecoderTest, RejectsStringsThatAreNotUtf8) {
  const std::string schema = R"({"type": "record", "name": "R", "fields": [
    {"name": "s", "type": "string"}]})";
  EXPECT_EQ(decode_error(schema, text("ok\xc3\x28")),
            "field 's': the string is not UTF-8 (at byte 2 of 4)");
  EXPECT_THAT(decode_error(schema, text("\xc0\xaf")),  // overlong '/'
              HasSubstr("not UTF-8 (at byte 0"));
  EXPECT_THAT(decode_error(schema, text("\xed\xa0\x80")),  // a surrogate
              HasSubstr("not UTF-8 (at byte 0"));
  EXPECT_THAT(decode_error(schema, text("\xf4\x90\x80\x80")),  // > U+10FFFF
              HasSubstr("not UTF-8 (at byte 0"));
  EXPECT_THAT(decode_error(schema, text("\xe2\x82")),  // cut short
              HasSubstr("not UTF-8 (at byte 0"));
  EXPECT_EQ(decode(schema, text("\xf0\x9f\x98\x80")),
            "{\"s\":\"\xf0\x9f\x98\x80\"}");
  EXPECT_THAT(decode_error(R"({"type": "map", "values": "int"})",
                           cat({varint(1), text("\xff"), varint(0)})),
              HasSubstr("the map key is not UTF-8"));
}

TEST(AvroDecoderTest, RejectsRepeatedMapKeys) {
  EXPECT_EQ(decode_error(R"({"type": "map", "values": "int"})",
                         cat({varint(2), text("k"), varint(1), text("k"),
                              varint(2), varint(0)})),
            R"(datum: the map key "k" repeats)");
}

TEST(AvroDecoderTest, RejectsMalformedPrimitives) {
  EXPECT_EQ(decode_error(R"("boolean")", raw({2})),
            "datum: a boolean's byte is 2, not 0 or 1");
  EXPECT_EQ(decode_error(R"("long")", raw({0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0x02})),
            "datum: a number's varint is longer than 64 bits");
  EXPECT_EQ(decode_error(R"("int")", varint(int64_t{1} << 31)),
            "datum: an int's varint holds 2147483648, beyond 32 bits");
  EXPECT_EQ(decode_error(R"("long")", raw({0x80})),
            "datum: truncated: the data ends inside a number");
  EXPECT_EQ(decode_error(R"("double")", raw({0, 0, 0})),
            "datum: truncated: needs 8 byte(s), 3 left");
  EXPECT_THAT(decode_error(R"({"type": "bytes", "logicalType": "decimal",
                               "precision": 4})",
                           varint(0)),
              HasSubstr("a decimal of no bytes"));
}

TEST(AvroDecoderTest, BoundsTheDepthOfRecursiveData) {
  constexpr std::string_view kList = R"({
    "type": "record", "name": "Node", "fields": [
      {"name": "next", "type": ["null", "Node"]}]})";
  Bytes deep;
  for (int i = 0; i < 100; ++i) deep.push_back(std::byte{2});  // branch 1
  deep.push_back(std::byte{0});
  EXPECT_THAT(decode_error(kList, deep),
              HasSubstr("nested deeper than 64 levels"));
  // A record inside itself takes no bytes: it must stop all the same.
  EXPECT_THAT(decode_error(R"({"type": "record", "name": "R", "fields": [
                              {"name": "r", "type": "R"}]})",
                           {}),
              HasSubstr("nested deeper than 64 levels"));
}

TEST(AvroDecoderTest, BoundsTheJsonOfASchemaThatDoublesAtEachLevel) {
  // Level k holds two of level k - 1: 2^23 nulls from no bytes at all.
  nlohmann::json schema = {
      {"type", "record"},
      {"name", "L0"},
      {"fields",
       {{{"name", "a"}, {"type", "null"}}, {{"name", "b"}, {"type", "null"}}}}};
  for (int level = 1; level <= 22; ++level) {
    const std::string inner = "L" + std::to_string(level - 1);
    schema = {{"type", "record"},
              {"name", "L" + std::to_string(level)},
              {"fields",
               {{{"name", "a"}, {"type", schema}},
                {{"name", "b"}, {"type", inner}}}}};
  }
  EXPECT_THAT(decode_error(schema.dump(), {}),
              HasSubstr("the JSON would be larger than 64 MiB"));
}

// ---- schemas ---------------------------------------------------------------

TEST(AvroSchemaTest, RejectsTextThatIsNotAnAvroSchema) {
  for (std::string_view text :
       {"not json", R"({"type": "record", "fields": []})",
        R"({"type": "nonesuch"})", R"(["int", "Unknown"])", ""}) {
    try {
      AvroSchema::parse(text);
      ADD_FAILURE() << "parsed " << text;
    } catch (const UnusableSchema& error) {
      const std::string message = error.what();
      EXPECT_THAT(message, StartsWith("not a valid Avro schema: ")) << text;
      // avro_strerror()'s text follows.
      EXPECT_GT(message.size(),
                std::string_view("not a valid Avro schema: ").size())
          << text;
    }
  }
}

TEST(AvroSchemaTest, RejectsDecimalsTooPreciseToConvert) {
  EXPECT_THROW(AvroSchema::parse(R"({"type": "bytes", "logicalType":
                                     "decimal", "precision": 1001})"),
               UnusableSchema);
  EXPECT_THROW(AvroSchema::parse(R"({"type": "fixed", "name": "F",
                                     "size": -1})"),
               UnusableSchema);
}

TEST(AvroSchemaTest, MovesWithItsTree) {
  AvroSchema first = AvroSchema::parse(R"("long")");
  AvroSchema second = std::move(first);
  EXPECT_EQ(decode_avro(second, varint(-5)), "-5");
  first = AvroSchema::parse(R"("string")");
  EXPECT_EQ(decode_avro(first, text("x")), R"("x")");
}

}  // namespace
}  // namespace rdconnect::schema
