// Unit tests of JSON -> Avro binary encoding: exact bytes, computed by hand,
// for each type; round trips through the decoder (an independent check of
// the mapping) and through data written by avro-c's own writer (the
// reference for the bytes); and the errors, each naming where.
#include "schema/avro_encoder.hpp"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <avro.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "avro_test_values.hpp"
#include "schema/avro_decoder.hpp"
#include "schema/avro_schema.hpp"

namespace rdconnect::schema {
namespace {

using namespace avro_test;
using ::testing::HasSubstr;
using ::testing::StartsWith;

Bytes bytes_of(std::string_view data) {
  const auto* begin = reinterpret_cast<const std::byte*>(data.data());
  return Bytes(begin, begin + data.size());
}

Bytes encode(const AvroSchema& schema, std::string_view json) {
  std::string out;
  encode_avro(schema, json, out);
  return bytes_of(out);
}

Bytes encode(std::string_view schema, std::string_view json) {
  return encode(AvroSchema::parse(schema), json);
}

// The AvroEncodeError's message, or a failure when there is none.
std::string encode_error(std::string_view schema, std::string_view json) {
  const AvroSchema parsed = AvroSchema::parse(schema);
  std::string out;
  try {
    encode_avro(parsed, json, out);
    ADD_FAILURE() << "encoded " << json;
    return "";
  } catch (const AvroEncodeError& error) {
    return error.what();
  }
}

void set_bytes(avro_value_t* value, const Bytes& bytes) {
  std::vector<char> copy(bytes.size());
  std::memcpy(copy.data(), bytes.data(), bytes.size());
  EXPECT_EQ(avro_value_set_bytes(value, copy.data(), copy.size()), 0);
}

// ---- primitives ------------------------------------------------------------

TEST(AvroEncoderTest, WritesIntsAndLongsAsZigzagVarints) {
  EXPECT_EQ(encode(R"("int")", "21"), raw({0x2a}));
  EXPECT_EQ(encode(R"("int")", "0"), raw({0x00}));
  EXPECT_EQ(encode(R"("int")", "-1"), raw({0x01}));
  EXPECT_EQ(encode(R"("int")", "-64"), raw({0x7f}));
  EXPECT_EQ(encode(R"("int")", "64"), raw({0x80, 0x01}));
  EXPECT_EQ(encode(R"("int")", "2147483647"),
            raw({0xfe, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(encode(R"("int")", "-2147483648"),
            raw({0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(encode(R"("long")", "9223372036854775807"),
            raw({0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  EXPECT_EQ(encode(R"("long")", "-9223372036854775808"),
            raw({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
  // The test's own varint() agrees.
  EXPECT_EQ(varint(64), raw({0x80, 0x01}));
}

TEST(AvroEncoderTest, WritesTheOtherPrimitives) {
  EXPECT_EQ(encode(R"("null")", "null"), raw({}));
  EXPECT_EQ(encode(R"("boolean")", "true"), raw({0x01}));
  EXPECT_EQ(encode(R"("boolean")", "false"), raw({0x00}));
  EXPECT_EQ(encode(R"("float")", "1.5"), raw({0x00, 0x00, 0xc0, 0x3f}));
  EXPECT_EQ(encode(R"("float")", "0.1"), raw({0xcd, 0xcc, 0xcc, 0x3d}));
  // Just above halfway between the floats 1 and 1 + 2^-23: the nearest
  // double is the halfway point, which would round down to 1.
  EXPECT_EQ(encode(R"("float")", "1.00000005960464477550"),
            raw({0x01, 0x00, 0x80, 0x3f}));
  EXPECT_EQ(encode(R"("double")", "0.1"),
            raw({0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0xb9, 0x3f}));
  EXPECT_EQ(encode(R"("double")", "3"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x40}));
  EXPECT_EQ(encode(R"("string")", R"("h\u00e9")"),
            raw({0x06, 'h', 0xc3, 0xa9}));
  EXPECT_EQ(encode(R"("string")", R"("")"), raw({0x00}));
  EXPECT_EQ(encode(R"("bytes")", R"("AAEC/w==")"),
            raw({0x08, 0x00, 0x01, 0x02, 0xff}));
}

TEST(AvroEncoderTest, TakesNanAndInfinitiesAsStrings) {
  EXPECT_EQ(encode(R"("double")", R"("NaN")"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x7f}));
  EXPECT_EQ(encode(R"("double")", R"("Infinity")"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x7f}));
  EXPECT_EQ(encode(R"("double")", R"("-Infinity")"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0xff}));
  EXPECT_EQ(encode(R"("float")", R"("NaN")"), raw({0x00, 0x00, 0xc0, 0x7f}));
  EXPECT_EQ(encode(R"("float")", R"("-Infinity")"),
            raw({0x00, 0x00, 0x80, 0xff}));
  EXPECT_EQ(encode_error(R"("double")", R"("nan")"),
            "datum: expected a number, got a string");
}

TEST(AvroEncoderTest, RoundsTinyNumbersToZeroButRefusesHugeFloats) {
  EXPECT_EQ(encode(R"("double")", "1e-400"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encode(R"("double")", "-1e-400"),
            raw({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80}));
  EXPECT_EQ(encode(R"("float")", "1e-50"), raw({0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(encode_error(R"("float")", "1e39"),
            "datum: the number 1e39 is beyond a float's range");
}

TEST(AvroEncoderTest, TakesOnlyIntegersInRangeForIntsAndLongs) {
  EXPECT_EQ(encode_error(R"("int")", "1.0"),
            "datum: expected an integer, got the number 1.0");
  EXPECT_EQ(encode_error(R"("long")", "1e3"),
            "datum: expected an integer, got the number 1e3");
  EXPECT_EQ(encode_error(R"("int")", "2147483648"),
            "datum: the integer 2147483648 is beyond an int's 32 bits");
  EXPECT_EQ(encode_error(R"("int")", "-2147483649"),
            "datum: the integer -2147483649 is beyond an int's 32 bits");
  EXPECT_EQ(encode_error(R"("long")", "9223372036854775808"),
            "datum: the integer 9223372036854775808 is beyond a long's 64 "
            "bits");
  // Beyond 64 bits unsigned too: the digits written, not a double's.
  EXPECT_EQ(encode_error(R"("long")", "18446744073709551616"),
            "datum: the integer 18446744073709551616 is beyond a long's 64 "
            "bits");
  EXPECT_EQ(encode_error(R"("long")", R"("5")"),
            "datum: expected an integer, got a string");
  EXPECT_EQ(encode_error(R"("boolean")", "1"),
            "datum: expected a boolean, got a number");
  EXPECT_EQ(encode_error(R"("null")", "0"),
            "datum: expected null, got a number");
}

TEST(AvroEncoderTest, TakesBase64PaddedOrNotInEitherAlphabet) {
  EXPECT_EQ(encode(R"("bytes")", R"("Zg==")"), raw({0x02, 'f'}));
  EXPECT_EQ(encode(R"("bytes")", R"("Zg")"), raw({0x02, 'f'}));
  EXPECT_EQ(encode(R"("bytes")", R"("Zm8=")"), raw({0x04, 'f', 'o'}));
  EXPECT_EQ(encode(R"("bytes")", R"("Zm9v")"), raw({0x06, 'f', 'o', 'o'}));
  EXPECT_EQ(encode(R"("bytes")", R"("+/8=")"), raw({0x04, 0xfb, 0xff}));
  EXPECT_EQ(encode(R"("bytes")", R"("-_8")"), raw({0x04, 0xfb, 0xff}));
  for (std::string_view bad : {R"("Zg=")", R"("Z")", R"("Zg==Zg==")",
                               R"("Z===")", R"("Zm 9v")", R"("====")"}) {
    EXPECT_THAT(encode_error(R"("bytes")", bad), HasSubstr("is not base64"))
        << bad;
  }
  EXPECT_EQ(encode_error(R"("bytes")", "[]"),
            "datum: expected a base64 string, got an array");
}

TEST(AvroEncoderTest, WritesFixedWithoutALength) {
  constexpr std::string_view kFixed =
      R"({"type": "fixed", "name": "F", "size": 5})";
  EXPECT_EQ(encode(kFixed, R"("3q2+7wA=")"),
            raw({0xde, 0xad, 0xbe, 0xef, 0x00}));
  EXPECT_EQ(encode(R"({"type": "fixed", "name": "Empty", "size": 0})", R"("")"),
            raw({}));
  EXPECT_EQ(encode_error(kFixed, R"("3q2+7w==")"),
            "datum: 4 bytes, where the fixed F holds 5");
  EXPECT_EQ(encode_error(kFixed, "5"),
            "datum: expected a base64 string of 5 bytes, got a number");
}

constexpr std::string_view kSuit =
    R"({"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS"]})";

TEST(AvroEncoderTest, WritesEnumsAsTheSymbolsIndex) {
  EXPECT_EQ(encode(kSuit, R"("SPADES")"), raw({0x00}));
  EXPECT_EQ(encode(kSuit, R"("HEARTS")"), raw({0x02}));
}

TEST(AvroEncoderTest, WritesArraysAndMapsAsOneBlock) {
  constexpr std::string_view kInts = R"({"type": "array", "items": "int"})";
  EXPECT_EQ(encode(kInts, "[3, -1, 200]"),
            raw({0x06, 0x06, 0x01, 0x90, 0x03, 0x00}));
  EXPECT_EQ(encode(kInts, "[]"), raw({0x00}));
  // In the order written, not sorted.
  constexpr std::string_view kMap = R"({"type": "map", "values": "int"})";
  EXPECT_EQ(encode(kMap, R"({"k": 9, "j": 1})"),
            raw({0x04, 0x02, 'k', 0x12, 0x02, 'j', 0x02, 0x00}));
  EXPECT_EQ(encode(kMap, "{}"), raw({0x00}));
}

TEST(AvroEncoderTest, WritesRecordFieldsInSchemaOrder) {
  constexpr std::string_view kPair = R"({"type": "record", "name": "Pair",
    "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "string"}]})";
  EXPECT_EQ(encode(kPair, R"({"b": "x", "a": 1})"), raw({0x02, 0x02, 'x'}));
}

// ---- unions ----------------------------------------------------------------

TEST(AvroEncoderTest, WritesAUnionAsTheFirstBranchThatTakesTheValue) {
  constexpr std::string_view kNullable = R"(["null", "string"])";
  EXPECT_EQ(encode(kNullable, "null"), raw({0x00}));
  EXPECT_EQ(encode(kNullable, R"("x")"), raw({0x02, 0x02, 'x'}));
  EXPECT_EQ(encode(R"(["string", "null"])", "null"), raw({0x02}));
  // An int cannot hold 2^40: the long can.
  EXPECT_EQ(encode(R"(["int", "long"])", "5"), raw({0x00, 0x0a}));
  EXPECT_EQ(encode(R"(["int", "long"])", "1099511627776"),
            cat({raw({0x02}), varint(int64_t{1} << 40)}));
  // Base64 text is bytes when bytes come first.
  EXPECT_EQ(encode(R"(["bytes", "string"])", R"("abcd")"),
            raw({0x00, 0x06, 0x69, 0xb7, 0x1d}));
  EXPECT_EQ(encode(R"(["bytes", "string"])", R"("ab!")"),
            raw({0x02, 0x06, 'a', 'b', '!'}));
  // A string that is no symbol of the enum.
  const std::string suit_or_string =
      "[" + std::string(kSuit) + R"(, "string"])";
  EXPECT_EQ(encode(suit_or_string, R"("HEARTS")"), raw({0x00, 0x02}));
  EXPECT_EQ(encode(suit_or_string, R"("CLUBS")"),
            cat({raw({0x02}), text("CLUBS")}));
  // A record by its keys.
  constexpr std::string_view kShapes = R"([
    {"type": "record", "name": "Circle", "fields": [{"name": "r", "type": "int"}]},
    {"type": "record", "name": "Square", "fields": [{"name": "s", "type": "int"}]},
    {"type": "array", "items": "int"}])";
  EXPECT_EQ(encode(kShapes, R"({"r": 1})"), raw({0x00, 0x02}));
  EXPECT_EQ(encode(kShapes, R"({"s": 2})"), raw({0x02, 0x04}));
  EXPECT_EQ(encode(kShapes, "[3]"), raw({0x04, 0x02, 0x06, 0x00}));
}

TEST(AvroEncoderTest, TakesAvrosJsonEncodingOfAUnion) {
  EXPECT_EQ(encode(R"(["null", "string"])", R"({"string": "x"})"),
            raw({0x02, 0x02, 'x'}));
  EXPECT_EQ(encode(R"(["null", "string"])", R"({"null": null})"), raw({0x00}));
  EXPECT_EQ(encode(R"(["bytes", "string"])", R"({"string": "abcd"})"),
            raw({0x02, 0x08, 'a', 'b', 'c', 'd'}));
  constexpr std::string_view kPoint = R"(["null", {"type": "record",
    "name": "Point", "namespace": "geo", "fields": [{"name": "x", "type": "int"}]}])";
  EXPECT_EQ(encode(kPoint, R"({"x": 1})"), raw({0x02, 0x02}));
  EXPECT_EQ(encode(kPoint, R"({"Point": {"x": 1}})"), raw({0x02, 0x02}));
  EXPECT_EQ(encode(kPoint, R"({"geo.Point": {"x": 1}})"), raw({0x02, 0x02}));
  EXPECT_THAT(encode_error(kPoint, R"({"geo.Pint": {"x": 1}})"),
              HasSubstr("expected one of null, Point, got an object"));
}

TEST(AvroEncoderTest, AMapOrRecordThatTakesTheObjectBeatsTheBranchName) {
  // A map takes any object: {"string": "x"} is a map entry.
  EXPECT_EQ(encode(R"(["string", {"type": "map", "values": "string"}])",
                   R"({"string": "x"})"),
            cat({raw({0x02, 0x02}), text("string"), text("x"), raw({0x00})}));
  // A record whose one field is named like a branch.
  EXPECT_EQ(encode(R"(["long", {"type": "record", "name": "R",
                     "fields": [{"name": "long", "type": "string"}]}])",
                   R"({"long": "x"})"),
            raw({0x02, 0x02, 'x'}));
}

TEST(AvroEncoderTest, SaysWhyNoBranchTakesTheValue) {
  EXPECT_EQ(encode_error(R"(["null", "string"])", "5"),
            "datum: expected one of null, string, got a number");
  EXPECT_EQ(encode_error(R"(["null", {"type": "long",
                           "logicalType": "timestamp-millis"}])",
                         "true"),
            "datum: expected one of null, timestamp-millis, got a boolean");
  // More than the wrong kind of JSON: that reason is kept.
  EXPECT_EQ(encode_error(R"(["null", "int"])", "1099511627776"),
            "datum: as int: the integer 1099511627776 is beyond an int's 32 "
            "bits");
}

// ---- logical types ---------------------------------------------------------

std::string decimal_schema(int scale) {
  return nlohmann::json{{"type", "bytes"},
                        {"logicalType", "decimal"},
                        {"precision", 1000},
                        {"scale", scale}}
      .dump();
}

TEST(AvroEncoderTest, WritesDecimalsInTheFewestBytes) {
  const std::string cents = decimal_schema(2);
  // -100: one byte, 0x9c, as Java's BigInteger.toByteArray() has it.
  EXPECT_EQ(encode(cents, R"("-1.00")"), raw({0x02, 0x9c}));
  EXPECT_EQ(encode(cents, R"("12.3")"), raw({0x04, 0x04, 0xce}));
  EXPECT_EQ(encode(cents, "12.3"), raw({0x04, 0x04, 0xce}));
  EXPECT_EQ(encode(cents, R"("+0.50")"), raw({0x02, 0x32}));
  EXPECT_EQ(encode(cents, R"("1.230")"), raw({0x02, 0x7b}));
  EXPECT_EQ(encode(cents, "0"), raw({0x02, 0x00}));
  EXPECT_EQ(encode(cents, R"("-0.00")"), raw({0x02, 0x00}));
  const std::string whole = decimal_schema(0);
  EXPECT_EQ(encode(whole, "128"), raw({0x04, 0x00, 0x80}));
  EXPECT_EQ(encode(whole, "-128"), raw({0x02, 0x80}));
  EXPECT_EQ(encode(whole, "-129"), raw({0x04, 0xff, 0x7f}));
  EXPECT_EQ(encode(whole, "-256"), raw({0x04, 0xff, 0x00}));
  EXPECT_EQ(encode(whole, R"("1.5e3")"), raw({0x04, 0x05, 0xdc}));
  EXPECT_EQ(encode(whole, "1500E-0"), raw({0x04, 0x05, 0xdc}));
  EXPECT_EQ(encode(whole, "0e999999"), raw({0x02, 0x00}));
}

TEST(AvroEncoderTest, WritesDecimalsBeyond64BitsFromTheDigitsWritten) {
  const std::string whole = decimal_schema(0);
  // A JSON number no double or int64 holds exactly.
  EXPECT_EQ(encode(whole, "123456789012345678901234567890"),
            raw({0x1a, 0x01, 0x8e, 0xe9, 0x0f, 0xf6, 0xc3, 0x73, 0xe0, 0xee,
                 0x4e, 0x3f, 0x0a, 0xd2}));
  EXPECT_EQ(encode(whole, R"("-123456789012345678901234567890")"),
            raw({0x1a, 0xfe, 0x71, 0x16, 0xf0, 0x09, 0x3c, 0x8c, 0x1f, 0x11,
                 0xb1, 0xc0, 0xf5, 0x2e}));
}

TEST(AvroEncoderTest, SignExtendsFixedDecimals) {
  constexpr std::string_view kFixed = R"({"type": "fixed", "name": "Money",
    "size": 4, "logicalType": "decimal", "precision": 9, "scale": 2})";
  EXPECT_EQ(encode(kFixed, R"("-1.00")"), raw({0xff, 0xff, 0xff, 0x9c}));
  EXPECT_EQ(encode(kFixed, R"("1.00")"), raw({0x00, 0x00, 0x00, 0x64}));
  EXPECT_EQ(encode(kFixed, R"("12345.67")"), raw({0x00, 0x12, 0xd6, 0x87}));
  constexpr std::string_view kSmall = R"({"type": "fixed", "name": "Small",
    "size": 2, "logicalType": "decimal", "precision": 4, "scale": 2})";
  EXPECT_EQ(encode(kSmall, R"("327.67")"), raw({0x7f, 0xff}));
  EXPECT_EQ(encode_error(kSmall, R"("327.68")"),
            "datum: the decimal needs 3 bytes, more than the fixed Small holds "
            "(2)");
}

TEST(AvroEncoderTest, NeverRoundsADecimal) {
  const std::string cents = decimal_schema(2);
  EXPECT_EQ(encode_error(cents, R"("1.234")"),
            "datum: the decimal \"1.234\": more fractional digits than the "
            "scale of 2 (it would be rounded)");
  EXPECT_THAT(encode_error(cents, "0.001"),
              HasSubstr("more fractional digits than the scale of 2"));
  EXPECT_THAT(encode_error(decimal_schema(0), "15e-1"),
              HasSubstr("more fractional digits than the scale of 0"));
  for (std::string_view bad :
       {R"("1.2.3")", R"("")", R"("-")", R"(".5")", R"("5.")", R"("0x10")",
        R"(" 1")", R"("1,5")", R"("1e5x")"}) {
    EXPECT_THAT(encode_error(cents, bad),
                HasSubstr("expected digits, with an optional sign"))
        << bad;
  }
  EXPECT_EQ(encode_error(cents, "true"),
            "datum: expected a decimal, as a string or a number, got a "
            "boolean");
}

TEST(AvroEncoderTest, BoundsTheDigitsOfADecimal) {
  const std::string whole = decimal_schema(0);
  EXPECT_THAT(encode_error(whole, '"' + std::string(1001, '9') + '"'),
              HasSubstr("1001 digits, more than the 1000 a decimal may have"));
  // As strings: nlohmann's parser refuses numbers beyond a double's range.
  EXPECT_EQ(encode(whole, '"' + std::string(1000, '9') + '"').size(),
            size_t{2 + 416});
  EXPECT_THAT(encode_error(whole, R"("1e999999")"),
              HasSubstr("1000000 digits, more than the 1000 a decimal may "
                        "have"));
  EXPECT_THAT(encode_error(whole, R"("1e1000000")"),
              HasSubstr("an exponent of more than 6 digits"));
  EXPECT_THAT(encode_error(whole, R"("1e")"),
              HasSubstr("no digits in the exponent"));
}

constexpr std::string_view kUuid =
    R"({"type": "string", "logicalType": "uuid"})";
constexpr std::string_view kDate = R"({"type": "int", "logicalType": "date"})";
constexpr std::string_view kTimeMillis =
    R"({"type": "int", "logicalType": "time-millis"})";
constexpr std::string_view kTimeMicros =
    R"({"type": "long", "logicalType": "time-micros"})";
constexpr std::string_view kTimestampMillis =
    R"({"type": "long", "logicalType": "timestamp-millis"})";
constexpr std::string_view kTimestampMicros =
    R"({"type": "long", "logicalType": "timestamp-micros"})";
constexpr std::string_view kLocalMillis =
    R"({"type": "long", "logicalType": "local-timestamp-millis"})";
constexpr std::string_view kLocalMicros =
    R"({"type": "long", "logicalType": "local-timestamp-micros"})";

TEST(AvroEncoderTest, WritesUuidsAsTheirText) {
  EXPECT_EQ(encode(kUuid, R"("0F8FAD5B-d9cb-469f-a165-70867728950e")"),
            text("0F8FAD5B-d9cb-469f-a165-70867728950e"));
  EXPECT_EQ(encode_error(kUuid, R"("0f8fad5b-d9cb-469f-a165-70867728950")"),
            "datum: \"0f8fad5b-d9cb-469f-a165-70867728950\" is not a UUID: "
            "expected 8-4-4-4-12 hex digits");
  EXPECT_THAT(encode_error(kUuid, R"("0f8fad5bxd9cb-469f-a165-70867728950e")"),
              HasSubstr("is not a UUID"));
  EXPECT_THAT(encode_error(kUuid, R"("0f8fad5g-d9cb-469f-a165-70867728950e")"),
              HasSubstr("is not a UUID"));
}

TEST(AvroEncoderTest, WritesDatesAsDaysSince1970) {
  EXPECT_EQ(encode(kDate, R"("2026-12-07")"), varint(20794));
  EXPECT_EQ(encode(kDate, "20794"), varint(20794));
  EXPECT_EQ(encode(kDate, R"("1970-01-01")"), raw({0x00}));
  EXPECT_EQ(encode(kDate, R"("1969-12-31")"), raw({0x01}));
  EXPECT_EQ(encode(kDate, R"("1900-01-01")"), varint(-25567));
  EXPECT_EQ(encode(kDate, R"("0000-01-01")"), varint(-719'528));
  EXPECT_EQ(encode(kDate, R"("9999-12-31")"), varint(2'932'896));
  EXPECT_EQ(encode(kDate, R"("2024-02-29")"), varint(19782));
}

TEST(AvroEncoderTest, RefusesTextThatIsNoDate) {
  EXPECT_EQ(encode_error(kDate, R"("2026-02-29")"),
            "datum: the date \"2026-02-29\": no day 29 in 2026-02");
  EXPECT_EQ(encode_error(kDate, R"("2026-13-01")"),
            "datum: the date \"2026-13-01\": no month 13");
  EXPECT_EQ(encode_error(kDate, R"("2026-1-07")"),
            "datum: the date \"2026-1-07\": expected \"YYYY-MM-DD\"");
  EXPECT_EQ(encode_error(kDate, R"("2026-12-07T00:00:00")"),
            "datum: the date \"2026-12-07T00:00:00\": more text after the "
            "date");
  EXPECT_THAT(encode_error(kDate, R"("2026-00-07")"), HasSubstr("no month 00"));
  EXPECT_THAT(encode_error(kDate, R"("2026-12-00")"), HasSubstr("no day 00"));
  EXPECT_EQ(encode_error(kDate, "[]"),
            "datum: expected a date, \"YYYY-MM-DD\" or an integer of days, got "
            "an array");
}

TEST(AvroEncoderTest, WritesTimesOfDay) {
  EXPECT_EQ(encode(kTimeMillis, R"("23:31:05.123")"), varint(84'665'123));
  EXPECT_EQ(encode(kTimeMillis, R"("23:31:05")"), varint(84'665'000));
  EXPECT_EQ(encode(kTimeMillis, R"("23:31:05.1")"), varint(84'665'100));
  EXPECT_EQ(encode(kTimeMillis, R"("23:31:05.123000")"), varint(84'665'123));
  EXPECT_EQ(encode(kTimeMillis, "84665123"), varint(84'665'123));
  EXPECT_EQ(encode(kTimeMicros, R"("23:31:05.123456")"),
            varint(84'665'123'456));
  EXPECT_EQ(encode(kTimeMicros, R"("00:00:00.000001")"), varint(1));
  EXPECT_EQ(encode_error(kTimeMillis, R"("23:31:05.1234")"),
            "datum: the time of day \"23:31:05.1234\": 4 fraction digits, "
            "more than the 3 that milliseconds keep (it would be rounded)");
  EXPECT_THAT(encode_error(kTimeMillis, R"("24:00:00")"),
              HasSubstr("24:00:00 is not a time of day"));
  EXPECT_THAT(encode_error(kTimeMillis, R"("23:60:00")"),
              HasSubstr("23:60:00 is not a time of day"));
  EXPECT_THAT(encode_error(kTimeMillis, R"("23:31:05.")"),
              HasSubstr("no digits after the '.'"));
  EXPECT_THAT(encode_error(kTimeMillis, R"("23:31")"),
              HasSubstr("expected \"HH:MM:SS\""));
  EXPECT_EQ(encode_error(kTimeMillis, "86400000"),
            "datum: a time of day of 86400000 milliseconds is not within a "
            "day");
  EXPECT_THAT(encode_error(kTimeMicros, "-1"), HasSubstr("not within a day"));
}

TEST(AvroEncoderTest, WritesTimestampsInUtc) {
  constexpr int64_t kMillis = 1'796'686'265'123;
  for (std::string_view json :
       {R"("2026-12-07T23:31:05.123Z")", R"("2026-12-08T01:31:05.123+02:00")",
        R"("2026-12-07T20:01:05.123-03:30")", R"("2026-12-07t23:31:05.123z")",
        R"("2026-12-07 23:31:05.123Z")", R"("2026-12-07T23:31:05.123-00:00")",
        "1796686265123"}) {
    EXPECT_EQ(encode(kTimestampMillis, json), varint(kMillis)) << json;
  }
  EXPECT_EQ(encode(kTimestampMillis, R"("1969-12-31T23:59:59.999Z")"),
            raw({0x01}));
  EXPECT_EQ(encode(kTimestampMicros, R"("2026-12-07T23:31:05.123456Z")"),
            varint(1'796'686'265'123'456));
  EXPECT_EQ(encode(kTimestampMicros, R"("2026-12-07T23:31:05Z")"),
            varint(1'796'686'265'000'000));
  EXPECT_EQ(encode(kLocalMillis, R"("2026-12-07T23:31:05.123")"),
            varint(kMillis));
  EXPECT_EQ(encode(kLocalMicros, R"("2026-12-07T23:31:05.123456")"),
            varint(1'796'686'265'123'456));
  EXPECT_EQ(encode(kLocalMicros, "-5"), varint(-5));
}

TEST(AvroEncoderTest, RefusesTimestampsThatLoseOrGuessSomething) {
  EXPECT_EQ(encode_error(kTimestampMillis, R"("2026-12-07T23:31:05.1234Z")"),
            "datum: the timestamp \"2026-12-07T23:31:05.1234Z\": 4 fraction "
            "digits, more than the 3 that milliseconds keep (it would be "
            "rounded)");
  EXPECT_EQ(encode_error(kTimestampMillis, R"("2026-12-07T23:31:05.123")"),
            "datum: the timestamp \"2026-12-07T23:31:05.123\": no \"Z\" or "
            "offset such as \"+02:00\": the time would be local");
  EXPECT_EQ(encode_error(kLocalMillis, R"("2026-12-07T23:31:05.123Z")"),
            "datum: the timestamp \"2026-12-07T23:31:05.123Z\": a local "
            "timestamp has no \"Z\" and no offset");
  EXPECT_THAT(encode_error(kLocalMillis, R"("2026-12-07T23:31:05+01:00")"),
              HasSubstr("a local timestamp has no \"Z\" and no offset"));
  EXPECT_THAT(encode_error(kTimestampMillis, R"("2026-12-07T23:31:05+1:00")"),
              HasSubstr("expected an offset \"+HH:MM\" or \"-HH:MM\""));
  EXPECT_THAT(encode_error(kTimestampMillis, R"("2026-12-07T23:31:05+24:00")"),
              HasSubstr("expected an offset"));
  EXPECT_THAT(encode_error(kTimestampMillis, R"("2026-12-07X23:31:05Z")"),
              HasSubstr("expected a 'T' between the date and the time"));
  EXPECT_THAT(encode_error(kTimestampMillis, R"("2026-12-07T23:31:05ZZ")"),
              HasSubstr("more text after the timestamp"));
  EXPECT_THAT(encode_error(kTimestampMillis, R"("2026-02-30T23:31:05Z")"),
              HasSubstr("no day 30 in 2026-02"));
  EXPECT_EQ(encode_error(kTimestampMillis, "1.5"),
            "datum: expected an integer, got the number 1.5");
}

// ---- round trips -----------------------------------------------------------

constexpr std::string_view kEveryType = R"({
  "type": "record", "name": "Every", "namespace": "test", "fields": [
    {"name": "n", "type": "null"},
    {"name": "yes", "type": "boolean"},
    {"name": "i", "type": "int"},
    {"name": "l", "type": "long"},
    {"name": "f", "type": "float"},
    {"name": "d", "type": "double"},
    {"name": "nan", "type": "double"},
    {"name": "b", "type": "bytes"},
    {"name": "s", "type": "string"},
    {"name": "suit", "type": {"type": "enum", "name": "Suit",
                              "symbols": ["SPADES", "HEARTS"]}},
    {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
    {"name": "lines", "type": {"type": "array", "items": {
      "type": "record", "name": "Line", "fields": [
        {"name": "sku", "type": "string"},
        {"name": "qty", "type": "int"}]}}},
    {"name": "attrs", "type": {"type": "map", "values": "long"}},
    {"name": "maybe", "type": ["null", "string"]},
    {"name": "either", "type": ["null", "Line"]},
    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                               "precision": 10, "scale": 2}},
    {"name": "big", "type": {"type": "fixed", "name": "Big", "size": 16,
                             "logicalType": "decimal", "precision": 38,
                             "scale": 4}},
    {"name": "id", "type": {"type": "string", "logicalType": "uuid"}},
    {"name": "day", "type": {"type": "int", "logicalType": "date"}},
    {"name": "ms", "type": {"type": "int", "logicalType": "time-millis"}},
    {"name": "us", "type": {"type": "long", "logicalType": "time-micros"}},
    {"name": "ts", "type": {"type": "long",
                            "logicalType": "timestamp-millis"}},
    {"name": "tsu", "type": {"type": "long",
                             "logicalType": "timestamp-micros"}},
    {"name": "lts", "type": {"type": "long",
                             "logicalType": "local-timestamp-millis"}},
    {"name": "ltsu", "type": {"type": "long",
                              "logicalType": "local-timestamp-micros"}}]})";

// As the decoder writes it: the canonical text of each value.
constexpr std::string_view kEveryValue =
    R"({"n":null,"yes":true,"i":-2147483648,"l":9223372036854775807,)"
    R"("f":0.1,"d":-2.5e-300,"nan":"NaN","b":"AAEC/w==",)"
    R"("s":"h\u0001\"\\é","suit":"HEARTS","hash":"3q2+7w==",)"
    R"("lines":[{"sku":"A-1","qty":2},{"sku":"B-2","qty":-1}],)"
    R"("attrs":{"k":1,"j":-2},"maybe":"there","either":{"sku":"C","qty":0},)"
    R"("price":"-12.34","big":"-1234567890123456789012345.6789",)"
    R"("id":"0f8fad5b-d9cb-469f-a165-70867728950e","day":"2026-12-07",)"
    R"("ms":"23:31:05.123","us":"23:31:05.123456",)"
    R"("ts":"2026-12-07T23:31:05.123Z","tsu":"2026-12-07T23:31:05.123456Z",)"
    R"("lts":"2026-12-07T23:31:05.123","ltsu":"2026-12-07T23:31:05.123456"})";

TEST(AvroEncoderTest, DecodesBackToTheSameTextForEveryType) {
  const AvroSchema schema = AvroSchema::parse(kEveryType);
  EXPECT_EQ(decode_avro(schema, encode(schema, kEveryValue)), kEveryValue);
}

TEST(AvroEncoderTest, DecodesLiberalInputToCanonicalText) {
  const AvroSchema schema = AvroSchema::parse(R"({
    "type": "record", "name": "Loose", "fields": [
      {"name": "price", "type": {"type": "bytes", "logicalType": "decimal",
                                 "precision": 10, "scale": 2}},
      {"name": "day", "type": {"type": "int", "logicalType": "date"}},
      {"name": "ts", "type": {"type": "long",
                              "logicalType": "timestamp-micros"}},
      {"name": "b", "type": "bytes"},
      {"name": "u", "type": ["null", "long"]}]})");
  EXPECT_EQ(decode_avro(schema, encode(schema, R"({"u": {"long": 7},
              "ts": "2026-12-08T01:31:05.5+02:00", "day": 20794,
              "price": 12.3, "b": "Zm8"})")),
            R"({"price":"12.30","day":"2026-12-07",)"
            R"("ts":"2026-12-07T23:31:05.500000Z","b":"Zm8=","u":7})");
}

TEST(AvroEncoderTest, ReencodesWhatAvroCWroteByteForByte) {
  const AvroSchema schema = AvroSchema::parse(kEveryType);
  GenericValue value(schema);
  avro_value_t child = field(value.get(), "yes");
  avro_value_set_boolean(&child, 1);
  child = field(value.get(), "i");
  avro_value_set_int(&child, INT32_MIN);
  child = field(value.get(), "l");
  avro_value_set_long(&child, INT64_MAX);
  child = field(value.get(), "f");
  avro_value_set_float(&child, 0.1f);
  child = field(value.get(), "d");
  avro_value_set_double(&child, -2.5e-300);
  child = field(value.get(), "nan");
  avro_value_set_double(&child, std::numeric_limits<double>::infinity());
  child = field(value.get(), "b");
  set_bytes(&child, raw({0x00, 0x01, 0x02, 0xff}));
  child = field(value.get(), "s");
  avro_value_set_string(&child, "h\xc3\xa9 \"\\\n\x01");
  child = field(value.get(), "suit");
  avro_value_set_enum(&child, 1);
  child = field(value.get(), "hash");
  char hash[] = {'\xde', '\xad', '\xbe', '\xef'};
  avro_value_set_fixed(&child, hash, sizeof hash);
  avro_value_t lines = field(value.get(), "lines");
  for (int i = 0; i < 3; ++i) {
    avro_value_t line = appended(&lines);
    avro_value_t sku = field(&line, "sku");
    avro_value_set_string(&sku, i == 1 ? "" : "A-1");
    avro_value_t qty = field(&line, "qty");
    avro_value_set_int(&qty, 100 * i - 150);
  }
  avro_value_t attrs = field(value.get(), "attrs");
  for (const char* key : {"zeta", "alpha", "mu"}) {
    avro_value_t entry;
    ASSERT_EQ(avro_value_add(&attrs, key, &entry, nullptr, nullptr), 0);
    avro_value_set_long(&entry, key[0]);
  }
  child = field(value.get(), "maybe");
  avro_value_t none = branch(&child, 0);
  avro_value_set_null(&none);
  child = field(value.get(), "either");
  avro_value_t line = branch(&child, 1);
  avro_value_t sku = field(&line, "sku");
  avro_value_set_string(&sku, "C");
  child = field(value.get(), "price");
  set_bytes(&child, raw({0xfb, 0x2e}));  // -1234: -12.34
  child = field(value.get(), "big");
  char big[] = {'\xff', '\xff', '\xff', '\xff', '\xd8', '\x1b', '\xe4', '\xcd',
                '\xb9', '\x41', '\x36', '\x4e', '\x91', '\xc6', '\x7e', '\xeb'};
  avro_value_set_fixed(&child, big, sizeof big);
  child = field(value.get(), "id");
  avro_value_set_string(&child, "0f8fad5b-d9cb-469f-a165-70867728950e");
  child = field(value.get(), "day");
  avro_value_set_int(&child, -719'528);
  child = field(value.get(), "ms");
  avro_value_set_int(&child, 86'399'999);
  child = field(value.get(), "us");
  avro_value_set_long(&child, 1);
  child = field(value.get(), "ts");
  avro_value_set_long(&child, -2'208'945'600'000);
  child = field(value.get(), "tsu");
  avro_value_set_long(&child, 1'796'686'265'123'456);
  child = field(value.get(), "lts");
  avro_value_set_long(&child, -1);
  child = field(value.get(), "ltsu");
  avro_value_set_long(&child, 253'402'300'799'999'999);  // 9999-12-31

  const Bytes datum = value.encode();
  const std::string json = decode_avro(schema, datum);
  EXPECT_EQ(encode(schema, json), datum) << json;
}

TEST(AvroEncoderTest, ReencodesRecursiveData) {
  constexpr std::string_view kList = R"({
    "type": "record", "name": "Node", "fields": [
      {"name": "value", "type": "int"},
      {"name": "next", "type": ["null", "Node"]}]})";
  const Bytes datum =
      cat({varint(1), varint(1), varint(2), varint(1), varint(3), varint(0)});
  EXPECT_EQ(
      encode(
          kList,
          R"({"value":1,"next":{"value":2,"next":{"value":3,"next":null}}})"),
      datum);
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

std::string envelope_with_lines(std::string_view last_price) {
  std::string json = R"({"order": {"id": 1, "lines": [)";
  for (int i = 0; i < 3; ++i) json += R"({"sku": "A-1", "price": 9.5}, )";
  json += R"({"sku": "A-1", "price": )";
  json += last_price;
  json += "}]}}";
  return json;
}

TEST(AvroEncoderTest, AWrongTypeNamesTheFieldAndBothTypes) {
  const AvroSchema schema = AvroSchema::parse(kEnvelope);
  EXPECT_EQ(encode(schema, envelope_with_lines("9.5")).size(), size_t{51});
  std::string out;
  try {
    encode_avro(schema, envelope_with_lines(R"("9.5")"), out);
    FAIL() << "encoded a string as a double";
  } catch (const AvroEncodeError& error) {
    EXPECT_STREQ(error.what(),
                 "field 'order.lines[3].price': expected a number, got a "
                 "string");
    EXPECT_EQ(error.field_path(), "order.lines[3].price");
  }
  EXPECT_EQ(encode_error(kEnvelope, R"({"order": []})"),
            "field 'order': expected an object (record Order), got an array");
  EXPECT_EQ(encode_error(kEnvelope, R"({"order": {"id": 1, "lines": {}}})"),
            "field 'order.lines': expected an array, got an object");
}

TEST(AvroEncoderTest, AMissingFieldIsNamed) {
  EXPECT_EQ(encode_error(kEnvelope, R"({"order": {"lines": []}})"),
            "field 'order.id': missing: the object has no key \"id\" (schema "
            "defaults are not filled in)");
  EXPECT_THAT(encode_error(kEnvelope, "{}"),
              StartsWith("field 'order': missing"));
}

TEST(AvroEncoderTest, AnUnknownKeyIsNamed) {
  EXPECT_EQ(encode_error(kEnvelope,
                         R"({"order": {"id": 1, "lines": [], "note": 2}})"),
            "field 'order': the key \"note\" is not a field of record Order");
  EXPECT_EQ(encode_error(kEnvelope, R"({"order": {"id": 1, "lnes": []}})"),
            "field 'order': the key \"lnes\" is not a field of record Order "
            "(did you mean 'lines'?)");
  // Not as C strings: "id\0x" is not "id".
  EXPECT_THAT(
      encode_error(kEnvelope, R"({"order": {"id\u0000x": 1, "lines": []}})"),
      HasSubstr("is not a field of record Order"));
}

TEST(AvroEncoderTest, RefusesRepeatedKeys) {
  EXPECT_EQ(
      encode_error(kEnvelope, R"({"order": {"id": 1, "id": 2, "lines": []}})"),
      "field 'order': the key \"id\" repeats");
  EXPECT_EQ(encode_error(R"({"type": "map", "values": "int"})",
                         R"({"k": 1, "k": 2})"),
            "datum: the map key \"k\" repeats");
}

TEST(AvroEncoderTest, NamesMapKeysInThePath) {
  EXPECT_EQ(encode_error(R"({"type": "map", "values": "long"})",
                         R"({"colour": "red"})"),
            R"(field '["colour"]': expected an integer, got a string)");
  const std::string long_key(100, 'k');
  EXPECT_EQ(encode_error(R"({"type": "map", "values": "long"})",
                         "{\"" + long_key + "\": null}"),
            "field '[\"" + std::string(64, 'k') +
                "...\"]': expected an integer, got null");
}

TEST(AvroEncoderTest, AnEnumSymbolNotInTheListIsRefusedWithTheList) {
  EXPECT_EQ(encode_error(kSuit, R"("CLUBS")"),
            "datum: \"CLUBS\" is not a symbol of enum Suit: its symbols are "
            "\"SPADES\", \"HEARTS\"");
  EXPECT_EQ(encode_error(kSuit, R"("HEARTZ")"),
            "datum: \"HEARTZ\" is not a symbol of enum Suit (did you mean "
            "'HEARTS'?): its symbols are \"SPADES\", \"HEARTS\"");
  EXPECT_EQ(encode_error(kSuit, "1"),
            "datum: expected a symbol of enum Suit, got a number");
  nlohmann::json many = {{"type", "enum"}, {"name", "Many"}, {"symbols", {}}};
  for (int i = 0; i < 20; ++i)
    many["symbols"].push_back("S" + std::to_string(i));
  EXPECT_THAT(encode_error(many.dump(), R"("X")"),
              HasSubstr("\"S15\" and 4 more"));
}

TEST(AvroEncoderTest, RefusesTextThatIsNotJson) {
  for (std::string_view bad :
       {"{", "", "[1,]", "1 2", "nul", "{'a': 1}", "\"\xff\"", R"("\ud800")"}) {
    EXPECT_THAT(encode_error(R"(["null", "int", "string", {"type": "array",
                              "items": "int"}])",
                             bad),
                StartsWith("datum: not JSON: "))
        << bad;
  }
  EXPECT_THAT(encode_error(R"("int")", "{"),
              StartsWith("datum: not JSON: parse error at line 1, column 2"));
}

constexpr std::string_view kList = R"({
  "type": "record", "name": "Node", "fields": [
    {"name": "next", "type": ["null", "Node"]}]})";

// A list of `length` nodes, each wrapped as Avro's JSON encoding would
// when `named`.
std::string nested_list(int length, bool named) {
  std::string json = "null";
  for (int i = 0; i < length; ++i) {
    json = named && i > 0 ? R"({"next": {"Node": )" + json + "}}"
                          : R"({"next": )" + json + "}";
  }
  return json;
}

TEST(AvroEncoderTest, BoundsTheDepthOfData) {
  EXPECT_EQ(encode(kList, nested_list(64, false)).size(), size_t{64});
  EXPECT_EQ(encode(kList, nested_list(64, true)).size(), size_t{64});
  const std::string error = encode_error(kList, nested_list(65, false));
  EXPECT_THAT(error, HasSubstr("nested deeper than 64 levels"));
  EXPECT_THAT(error, StartsWith("field 'next.next.next"));
}

TEST(AvroEncoderTest, RefusesDeepJsonWhileParsingIt) {
  const std::string deep =
      std::string(100'000, '[') + std::string(100'000, ']');
  EXPECT_EQ(encode_error(R"("int")", deep),
            "datum: the JSON nests deeper than 129 levels, which no datum of "
            "64 records, arrays and maps inside each other does");
  // As deep as a datum may be, it parses (and then is not an int).
  EXPECT_EQ(
      encode_error(R"("int")", std::string(129, '[') + std::string(129, ']')),
      "datum: expected an integer, got an array");
}

TEST(AvroEncoderTest, LeavesTheOutputAsItWasOnError) {
  const AvroSchema schema = AvroSchema::parse(kEnvelope);
  std::string out = "prefix";
  EXPECT_THROW(encode_avro(schema, envelope_with_lines("null"), out),
               AvroEncodeError);
  EXPECT_EQ(out, "prefix");
  EXPECT_THROW(encode_avro(schema, "{", out), AvroEncodeError);
  EXPECT_EQ(out, "prefix");
  encode_avro(AvroSchema::parse(R"("int")"), "21", out);
  EXPECT_EQ(out, "prefix\x2a");
}

TEST(AvroEncoderTest, RefusesAMovedFromSchema) {
  AvroSchema first = AvroSchema::parse(R"("long")");
  const AvroSchema second = std::move(first);
  EXPECT_EQ(encode(second, "-5"), raw({0x09}));
  std::string out;
  EXPECT_THROW(encode_avro(first, "1", out), std::logic_error);
}

}  // namespace
}  // namespace rdconnect::schema
