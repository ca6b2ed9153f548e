// Partitioners against vectors computed by the clients they imitate, never by
// this code. The keys of the two hash tables were written once to keys.txt,
// each in hex on a line of its own (the first line, empty, is the empty
// key), and that file was fed to both programs quoted below.
#include "partition/partitioner.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "config/host_config.hpp"
#include "rdconnect/plugin.h"

namespace rdconnect::partition {
namespace {

using namespace std::string_view_literals;
using config::PartitionerKind;
using ::testing::IsSubstring;

// --- murmur2 ----------------------------------------------------------------

struct Murmur2Vector {
  std::string_view key;
  int32_t hash;
  int32_t partition_of_7;
  int32_t partition_of_1000;
};

// Produced by the Java client, kafka-clients 4.4.0 (from Maven Central), run
// as `jshell --class-path kafka-clients-4.4.0.jar:slf4j-api-1.7.36.jar`:
//   for (String hex : Files.readAllLines(Path.of("keys.txt"))) {
//     byte[] key = java.util.HexFormat.of().parseHex(hex);
//     int h = Utils.murmur2(key);
//     System.out.println(hex + " " + h + " " + Utils.toPositive(h) % 7
//                        + " " + Utils.toPositive(h) % 1000);
//   }
// "21", "foobar", "a-little-bit-long(er)-string", "lkjh..." and "abc" are also
// the vectors of Kafka's own UtilsTest.testMurmur2, which agree.
constexpr std::array kMurmur2Vectors = {
    Murmur2Vector{""sv, 275646681, 2, 681},
    Murmur2Vector{"a"sv, -1563381124, 5, 524},
    Murmur2Vector{"ab"sv, 316155434, 0, 434},
    Murmur2Vector{"abc"sv, 479470107, 4, 107},
    Murmur2Vector{"abcd"sv, -1323649548, 5, 100},
    Murmur2Vector{"abcde"sv, 461995741, 4, 741},
    Murmur2Vector{"21"sv, -973932308, 3, 340},
    Murmur2Vector{"foobar"sv, -790332482, 0, 166},
    Murmur2Vector{"a-little-bit-long-string"sv, -985981536, 1, 112},
    Murmur2Vector{"a-little-bit-longer-string"sv, -1486304829, 0, 819},
    Murmur2Vector{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"sv,
                  -58897971, 3, 677},
    Murmur2Vector{"123e4567-e89b-12d3-a456-426614174000"sv, 210376136, 5, 136},
    Murmur2Vector{"f47ac10b-58cc-4372-a567-0e02b2c3d479"sv, 1964707646, 6, 646},
    Murmur2Vector{"The quick brown fox jumps over the lazy dog, then naps in "
                  "the sun for a while."sv,
                  -818598334, 1, 314},
    Murmur2Vector{"\xff\x80\x00\x7f"sv, -301591868, 5, 780},
    Murmur2Vector{"caf\xc3\xa9"sv, -1358007374, 6, 274},
    Murmur2Vector{"\x80\x81\x82\x83\x84\x85\x86"sv, -47880214, 5, 434},
};

TEST(Murmur2Test, MatchesTheJavaClient) {
  for (const Murmur2Vector& vector : kMurmur2Vectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(vector.key)));
    EXPECT_EQ(murmur2(vector.key), vector.hash);
  }
}

TEST(Murmur2Test, PartitionerMatchesTheJavaClientsPartitionForKey) {
  const auto partitioner = make_partitioner(PartitionerKind::murmur2);
  for (const Murmur2Vector& vector : kMurmur2Vectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(vector.key)));
    const Partitioner::Choice of_7 = partitioner->choose(vector.key, 7);
    EXPECT_EQ(of_7.error, "");
    EXPECT_EQ(of_7.partition, vector.partition_of_7);
    const Partitioner::Choice of_1000 = partitioner->choose(vector.key, 1000);
    EXPECT_EQ(of_1000.error, "");
    EXPECT_EQ(of_1000.partition, vector.partition_of_1000);
  }
}

// --- murmur3 ----------------------------------------------------------------

struct Murmur3Vector {
  std::string_view key;
  int32_t hash;
  int32_t partition_of_7;
  int32_t partition_of_1000;
  int32_t hash_seed_42;
  int32_t hash_seed_deadbeef;
};

// Produced by Python 3 with mmh3 5.3.1 (from PyPI):
//   for line in open("keys.txt").read().splitlines():
//       key = bytes.fromhex(line)
//       h = mmh3.hash(key)
//       print(line, h, h % 7, h % 1000, mmh3.hash(key, 42),
//             mmh3.hash(key, 0xdeadbeef))
constexpr std::array kMurmur3Vectors = {
    Murmur3Vector{""sv, 0, 0, 0, 142593372, 233162409},
    Murmur3Vector{"a"sv, 1009084850, 4, 850, -1293573533, -2005738552},
    Murmur3Vector{"ab"sv, -1681926305, 4, 695, -684913081, -759526275},
    Murmur3Vector{"abc"sv, -1277324294, 6, 706, 1313807976, -771664017},
    Murmur3Vector{"abcd"sv, 1139631978, 2, 978, -396302900, -143474995},
    Murmur3Vector{"abcde"sv, -392455434, 0, 566, -1361433616, -1755040141},
    Murmur3Vector{"21"sv, 1207234426, 6, 426, -1916709462, -21436006},
    Murmur3Vector{"foobar"sv, -1530604355, 0, 645, 1018276128, 1713501526},
    Murmur3Vector{"a-little-bit-long-string"sv, -272574337, 0, 663, -685836106,
                  -975488459},
    Murmur3Vector{"a-little-bit-longer-string"sv, 1005410872, 4, 872,
                  1964579463, -125600348},
    Murmur3Vector{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"sv,
                  1764318180, 2, 180, 1456335152, 1129738385},
    Murmur3Vector{"123e4567-e89b-12d3-a456-426614174000"sv, 439536286, 0, 286,
                  630677983, -1757095909},
    Murmur3Vector{"f47ac10b-58cc-4372-a567-0e02b2c3d479"sv, -866479351, 4, 649,
                  -1766849068, -832733589},
    Murmur3Vector{"The quick brown fox jumps over the lazy dog, then naps in "
                  "the sun for a while."sv,
                  -1104280768, 4, 232, 29707195, 791767735},
    Murmur3Vector{"\xff\x80\x00\x7f"sv, 1237739758, 3, 758, -1799313492,
                  -508425022},
    Murmur3Vector{"caf\xc3\xa9"sv, 605818632, 6, 632, 1312538061, 1049228509},
    Murmur3Vector{"\x80\x81\x82\x83\x84\x85\x86"sv, 1466551957, 3, 957,
                  32475708, -1183608248},
};

TEST(Murmur3Test, MatchesPythonMmh3) {
  for (const Murmur3Vector& vector : kMurmur3Vectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(vector.key)));
    EXPECT_EQ(murmur3_32(vector.key), vector.hash);
    EXPECT_EQ(murmur3_32(vector.key, 42), vector.hash_seed_42);
    EXPECT_EQ(murmur3_32(vector.key, 0xdeadbeef), vector.hash_seed_deadbeef);
  }
}

// Kafka Streams' Murmur3Test.testMurmur3_32 (taken from Hive's TestMurmur3):
// MurmurHash3_x86_32 with seed 123. mmh3.hash(key, 123) gives the same.
TEST(Murmur3Test, MatchesKafkaStreamsVectorsWithSeed123) {
  EXPECT_EQ(murmur3_32("21", 123), 896581614);
  EXPECT_EQ(murmur3_32("foobar", 123), -328928243);
  EXPECT_EQ(murmur3_32("a-little-bit-long-string", 123), -1479816207);
  EXPECT_EQ(murmur3_32("a-little-bit-longer-string", 123), -153232333);
  EXPECT_EQ(murmur3_32("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", 123),
            13417721);
  EXPECT_EQ(murmur3_32("abc", 123), 461137560);
}

TEST(Murmur3Test, PartitionerFloorsLikePythonModulo) {
  const auto partitioner = make_partitioner(PartitionerKind::murmur3);
  for (const Murmur3Vector& vector : kMurmur3Vectors) {
    SCOPED_TRACE(testing::PrintToString(std::string(vector.key)));
    const Partitioner::Choice of_7 = partitioner->choose(vector.key, 7);
    EXPECT_EQ(of_7.error, "");
    EXPECT_EQ(of_7.partition, vector.partition_of_7);
    const Partitioner::Choice of_1000 = partitioner->choose(vector.key, 1000);
    EXPECT_EQ(of_1000.error, "");
    EXPECT_EQ(of_1000.partition, vector.partition_of_1000);
  }
}

// --- UUID keys --------------------------------------------------------------

struct UuidVector {
  std::string_view text;
  std::string_view raw_bytes;
  std::array<int32_t, 6> partitions;  // for kPartitionCounts
  int32_t partition_of_int32_max;
};

constexpr std::array<int32_t, 6> kPartitionCounts = {1, 2, 3, 7, 12, 1000};

// Produced by Python 3's uuid module:
//   u = uuid.UUID(text)
//   print(text, u.bytes.hex(), [u.int % n for n in (1, 2, 3, 7, 12, 1000)],
//         u.int % 2147483647)
constexpr std::array kUuidVectors = {
    UuidVector{"00000000-0000-0000-0000-000000000000"sv,
               "\x00\x00\x00\x00\x00\x00\x00\x00"
               "\x00\x00\x00\x00\x00\x00\x00\x00"sv,
               {0, 0, 0, 0, 0, 0},
               0},
    UuidVector{"ffffffff-ffff-ffff-ffff-ffffffffffff"sv,
               "\xff\xff\xff\xff\xff\xff\xff\xff"
               "\xff\xff\xff\xff\xff\xff\xff\xff"sv,
               {0, 1, 0, 3, 3, 455},
               15},
    UuidVector{"123e4567-e89b-12d3-a456-426614174000"sv,
               "\x12\x3e\x45\x67\xe8\x9b\x12\xd3"
               "\xa4\x56\x42\x66\x14\x17\x40\x00"sv,
               {0, 0, 1, 2, 4, 168},
               287456091},
    UuidVector{"F47AC10B-58CC-4372-A567-0E02B2C3D479"sv,
               "\xf4\x7a\xc1\x0b\x58\xcc\x43\x72"
               "\xa5\x67\x0e\x02\xb2\xc3\xd4\x79"sv,
               {0, 1, 2, 1, 5, 553},
               77137587},
    UuidVector{"00000000-0000-0000-0000-0000000003e9"sv,
               "\x00\x00\x00\x00\x00\x00\x00\x00"
               "\x00\x00\x00\x00\x00\x00\x03\xe9"sv,
               {0, 1, 2, 0, 5, 1},
               1001},
    UuidVector{"80000000-0000-0000-0000-000000000001"sv,
               "\x80\x00\x00\x00\x00\x00\x00\x00"
               "\x00\x00\x00\x00\x00\x00\x00\x01"sv,
               {0, 1, 0, 3, 9, 729},
               9},
};

TEST(UuidKeyTest, TextAndRawBytesParseToTheSameBytes) {
  for (const UuidVector& vector : kUuidVectors) {
    SCOPED_TRACE(vector.text);
    const auto from_text = parse_uuid_key(vector.text);
    const auto from_bytes = parse_uuid_key(vector.raw_bytes);
    ASSERT_TRUE(from_text.has_value());
    ASSERT_TRUE(from_bytes.has_value());
    EXPECT_EQ(*from_text, *from_bytes);
    EXPECT_EQ(std::string(from_bytes->begin(), from_bytes->end()),
              vector.raw_bytes);
  }
}

TEST(UuidKeyTest, LowerAndUpperCaseTextAreTheSameUuid) {
  EXPECT_EQ(parse_uuid_key("f47ac10b-58cc-4372-a567-0e02b2c3d479"),
            parse_uuid_key("F47AC10B-58CC-4372-A567-0E02B2C3D479"));
  EXPECT_EQ(parse_uuid_key("f47ac10b-58cc-4372-a567-0e02b2c3d479"),
            parse_uuid_key("F47ac10B-58cC-4372-a567-0E02b2C3d479"));
}

TEST(UuidKeyTest, UuidModMatchesPythonUuidInt) {
  for (const UuidVector& vector : kUuidVectors) {
    SCOPED_TRACE(vector.text);
    const auto uuid = parse_uuid_key(vector.text);
    ASSERT_TRUE(uuid.has_value());
    for (size_t i = 0; i < kPartitionCounts.size(); ++i) {
      EXPECT_EQ(uuid_mod(*uuid, kPartitionCounts[i]), vector.partitions[i])
          << "n = " << kPartitionCounts[i];
    }
    EXPECT_EQ(uuid_mod(*uuid, INT32_MAX), vector.partition_of_int32_max);
  }
}

TEST(UuidKeyTest, UuidModRefusesANonPositiveModulus) {
  const std::array<uint8_t, 16> uuid{};
  EXPECT_THROW(uuid_mod(uuid, 0), std::invalid_argument);
  EXPECT_THROW(uuid_mod(uuid, -3), std::invalid_argument);
}

TEST(UuidKeyTest, PartitionerGivesTheSamePartitionForTextAndRawBytes) {
  const auto partitioner = make_partitioner(PartitionerKind::uuid_mod);
  for (const UuidVector& vector : kUuidVectors) {
    SCOPED_TRACE(vector.text);
    for (size_t i = 0; i < kPartitionCounts.size(); ++i) {
      const int32_t n = kPartitionCounts[i];
      const Partitioner::Choice from_text = partitioner->choose(vector.text, n);
      const Partitioner::Choice from_bytes =
          partitioner->choose(vector.raw_bytes, n);
      EXPECT_EQ(from_text.error, "");
      EXPECT_EQ(from_bytes.error, "");
      EXPECT_EQ(from_text.partition, vector.partitions[i]) << "n = " << n;
      EXPECT_EQ(from_bytes.partition, vector.partitions[i]) << "n = " << n;
    }
  }
}

TEST(UuidKeyTest, RejectsEverythingButTheDashedTextAndSixteenBytes) {
  const std::vector<std::string_view> rejected = {
      ""sv,
      "123e4567-e89b-12d3-a456-42661417400"sv,     // 35 characters
      "123e4567-e89b-12d3-a456-4266141740000"sv,   // 37 characters
      "123e4567e-89b-12d3-a456-426614174000"sv,    // first dash misplaced
      "123e4567-e89b-12d3-a4564-26614174000"sv,    // last dash misplaced
      "123e4567-e89b-12d3-a456-42661417400g"sv,    // non-hex digit
      "123e4567 e89b 12d3 a456 426614174000"sv,    // spaces for dashes
      "123e4567-e89b-12d3-a456-42661417400-"sv,    // dash for a digit
      "123e4567e89b12d3a456426614174000"sv,        // 32 hex, no dashes
      "{123e4567-e89b-12d3-a456-426614174000}"sv,  // braces
      "123e4567-e89b-12d3-a456-426614174000\n"sv,  // trailing newline
      "\x12\x3e\x45\x67\xe8\x9b\x12\xd3\xa4\x56\x42\x66\x14\x17\x40"sv,  // 15
      "\x12\x3e\x45\x67\xe8\x9b\x12\xd3\xa4\x56\x42\x66\x14\x17\x40\x00"
      "\x01"sv,  // 17 bytes
  };
  for (std::string_view key : rejected) {
    SCOPED_TRACE(testing::PrintToString(std::string(key)));
    EXPECT_EQ(parse_uuid_key(key), std::nullopt);
  }
}

TEST(UuidKeyTest, RejectsEveryNonHexByteAtEveryDigitPosition) {
  const std::string valid = "123e4567-e89b-12d3-a456-426614174000";
  const std::string_view hex = "0123456789abcdefABCDEF";
  for (size_t at = 0; at < valid.size(); ++at) {
    if (valid[at] == '-') continue;
    for (int byte = 0; byte < 256; ++byte) {
      if (hex.find(static_cast<char>(byte)) != std::string_view::npos) continue;
      std::string key = valid;
      key[at] = static_cast<char>(byte);
      ASSERT_EQ(parse_uuid_key(key), std::nullopt)
          << "byte " << byte << " at " << at;
    }
  }
}

// The definition itself, one byte at a time: the differential reference for
// the word-at-a-time uuid_mod.
int32_t uuid_mod_bytewise(const std::array<uint8_t, 16>& uuid, int32_t n) {
  uint64_t remainder = 0;
  for (uint8_t byte : uuid) {
    remainder = (remainder * 256 + byte) % static_cast<uint64_t>(n);
  }
  return static_cast<int32_t>(remainder);
}

TEST(UuidKeyTest, UuidModAgreesWithTheBytewiseDefinitionOnRandomInput) {
  std::mt19937_64 random(20261203);
  std::array<uint8_t, 16> uuid{};
  for (int round = 0; round < 20000; ++round) {
    for (uint8_t& byte : uuid) byte = static_cast<uint8_t>(random());
    if (round == 0) uuid.fill(0xff);  // the largest 128-bit value
    const auto n = static_cast<int32_t>(
        round % 3 == 0 ? INT32_MAX - round : random() % INT32_MAX + 1);
    ASSERT_EQ(uuid_mod(uuid, n), uuid_mod_bytewise(uuid, n))
        << "round " << round << ", n = " << n;
  }
}

// --- errors and librdkafka_default -------------------------------------------

TEST(PartitionerErrorTest, UuidModRejectsANonUuidKeyShowingIt) {
  const auto partitioner = make_partitioner(PartitionerKind::uuid_mod);
  const Partitioner::Choice choice =
      partitioner->choose("abc\x01\"\\\xff"sv, 3);
  EXPECT_EQ(choice.partition, RDC_PARTITION_ANY);
  EXPECT_EQ(choice.error,
            "key is not a UUID (expected 36-character text like "
            "123e4567-e89b-12d3-a456-426614174000 or 16 raw bytes), got 7 "
            "bytes: \"abc\\x01\\\"\\\\\\xff\"");
}

TEST(PartitionerErrorTest, UuidModShortensTheKeyItShows) {
  const auto partitioner = make_partitioner(PartitionerKind::uuid_mod);
  const std::string long_key(100, 'k');
  const Partitioner::Choice choice = partitioner->choose(long_key, 3);
  EXPECT_EQ(choice.partition, RDC_PARTITION_ANY);
  EXPECT_PRED_FORMAT2(IsSubstring,
                      "got 100 bytes: \"" + std::string(40, 'k') + "\"...",
                      choice.error);
}

TEST(PartitionerErrorTest, EveryKeyedPartitionerRejectsANullKey) {
  for (PartitionerKind kind :
       {PartitionerKind::uuid_mod, PartitionerKind::murmur2,
        PartitionerKind::murmur3}) {
    SCOPED_TRACE(static_cast<int>(kind));
    const Partitioner::Choice choice =
        make_partitioner(kind)->choose(std::nullopt, 3);
    EXPECT_EQ(choice.partition, RDC_PARTITION_ANY);
    EXPECT_PRED_FORMAT2(IsSubstring, "key is null", choice.error);
  }
}

TEST(PartitionerErrorTest, HashingPartitionersPointToTheDefaultForNullKeys) {
  const Partitioner::Choice murmur2_choice =
      make_partitioner(PartitionerKind::murmur2)->choose(std::nullopt, 3);
  EXPECT_EQ(murmur2_choice.error,
            "key is null: the murmur2 partitioner hashes the key, so every "
            "record needs one (unlike the Java client, which spreads keyless "
            "records with its sticky partitioner); give the records keys, or "
            "use the \"default\" partitioner");
  EXPECT_PRED_FORMAT2(IsSubstring, "the murmur3 partitioner hashes the key",
                      make_partitioner(PartitionerKind::murmur3)
                          ->choose(std::nullopt, 3)
                          .error);
}

TEST(PartitionerErrorTest, UuidModNullKeyMessageSaysWhatKeyIsExpected) {
  EXPECT_EQ(
      make_partitioner(PartitionerKind::uuid_mod)
          ->choose(std::nullopt, 3)
          .error,
      "key is null: the uuid_mod partitioner needs a UUID key (36-character "
      "text like 123e4567-e89b-12d3-a456-426614174000 or 16 raw bytes)");
}

TEST(PartitionerErrorTest, KeyedPartitionersRejectANonPositivePartitionCount) {
  for (PartitionerKind kind :
       {PartitionerKind::uuid_mod, PartitionerKind::murmur2,
        PartitionerKind::murmur3}) {
    SCOPED_TRACE(static_cast<int>(kind));
    const auto partitioner = make_partitioner(kind);
    const Partitioner::Choice choice =
        partitioner->choose("123e4567-e89b-12d3-a456-426614174000"sv, 0);
    EXPECT_EQ(choice.partition, RDC_PARTITION_ANY);
    EXPECT_PRED_FORMAT2(IsSubstring,
                        "partitioner needs a positive partition count, "
                        "got 0",
                        choice.error);
  }
}

TEST(LibrdkafkaDefaultPartitionerTest, AlwaysLeavesTheChoiceToLibrdkafka) {
  const auto partitioner =
      make_partitioner(PartitionerKind::librdkafka_default);
  const std::vector<std::optional<std::string_view>> keys = {
      std::nullopt, ""sv, "abc"sv, "123e4567-e89b-12d3-a456-426614174000"sv};
  for (const auto& key : keys) {
    for (int32_t partition_count : {0, 1, 12}) {
      const Partitioner::Choice choice =
          partitioner->choose(key, partition_count);
      EXPECT_EQ(choice.partition, RDC_PARTITION_ANY);
      EXPECT_EQ(choice.error, "");
    }
  }
}

}  // namespace
}  // namespace rdconnect::partition
