// Unit tests of the log_sink plugin, driven through its class without
// loading the module.
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <mutex>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <rdconnect/plugin.hpp>

#include "encoding.hpp"
#include "json_line.hpp"
#include "log_sink.hpp"
#include "plugin_test_config.hpp"
#include "text_line.hpp"

namespace rdconnect::log_sink {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

// An rdc_host that records what the plugin logs.
class FakeHost {
 public:
  FakeHost()
      : raw_{sizeof(rdc_host), this, "test", &log, &record_error, nullptr} {}
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  Host host() const { return Host(&raw_); }
  const rdc_host* raw() const { return &raw_; }

  std::vector<std::string> messages(rdc_log_level level) const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> found;
    for (const auto& [line_level, message] : lines_) {
      if (line_level == level) found.push_back(message);
    }
    return found;
  }

 private:
  static void log(void* opaque, rdc_log_level level, const char* message) {
    auto* self = static_cast<FakeHost*>(opaque);
    std::lock_guard lock(self->mutex_);
    self->lines_.emplace_back(level, message);
  }
  static void record_error(void*, const rdc_record*, const char*) {}

  rdc_host raw_;
  mutable std::mutex mutex_;
  std::vector<std::pair<rdc_log_level, std::string>> lines_;
};

// The plugin's defaults with some values overridden, as the host passes them.
class TestConfig : public rdconnect::testing::TestConfig {
 public:
  explicit TestConfig(
      std::initializer_list<std::pair<std::string, std::string>> overrides)
      : rdconnect::testing::TestConfig({{"path", "-"},
                                        {"format", "json"},
                                        {"rotate_bytes", "0"},
                                        {"rotate_keep", "5"},
                                        {"file_mode", "0600"}},
                                       overrides) {}
};

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir()
      : path_(
            fs::temp_directory_path() /
            ("log_sink_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

rdc_bytes bytes(std::string_view text) { return {text.data(), text.size()}; }

constexpr rdc_bytes kNull = {nullptr, 0};

rdc_record make_record(const char* topic, int32_t partition, int64_t offset,
                       int64_t timestamp_ms, rdc_bytes key, rdc_bytes value,
                       std::span<const rdc_header> headers = {}) {
  return {.topic = topic,
          .partition = partition,
          .offset = offset,
          .timestamp_ms = timestamp_ms,
          .key = key,
          .value = value,
          .headers = headers.data(),
          .header_count = headers.size()};
}

std::string json_line(const rdc_record& record) {
  std::string line;
  append_json_line(Record(record), line);
  return line;
}

std::string text_line(const rdc_record& record) {
  std::string line;
  append_text_line(Record(record), line);
  return line;
}

std::string base64(std::string_view bytes) {
  std::string text;
  append_base64(bytes, text);
  return text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void put(LogSink& sink, std::span<const rdc_record> records) {
  sink.put(Records(records));
}

TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(base64("\0\0"s), "AAA=");
}

TEST(EncodingTest, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii, longer than eight bytes"));
  EXPECT_TRUE(is_valid_utf8("\0"s));
  EXPECT_TRUE(is_valid_utf8("h\xc3\xa9llo"));      // é
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));      // €
  EXPECT_TRUE(is_valid_utf8("\xf0\x9d\x84\x9e"));  // U+1D11E
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));      // U+D7FF
  EXPECT_TRUE(
      is_valid_utf8("12345678\xc3\xa9"
                    "abc"));  // After a word.
}

TEST(EncodingTest, RejectsMalformedUtf8) {
  EXPECT_FALSE(is_valid_utf8("\x80"));              // Lone continuation.
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // Overlong '/'.
  EXPECT_FALSE(is_valid_utf8("\xc1\xbf"));          // Overlong.
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));      // Overlong.
  EXPECT_FALSE(is_valid_utf8("\xf0\x80\x80\xaf"));  // Overlong.
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(is_valid_utf8("\xf5\x80\x80\x80"));  // Invalid lead.
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // Truncated.
  EXPECT_FALSE(is_valid_utf8("\xe2\x28\xa1"));      // Bad continuation.
  EXPECT_FALSE(is_valid_utf8("abcdefghi\xff"));     // After a word.
}

TEST(JsonLineTest, WritesARecordWithKeyValueAndTimestamp) {
  EXPECT_EQ(json_line(make_record("orders", 3, 42, 1700000000000, bytes("k1"),
                                  bytes(R"({"id":1})"))),
            R"({"topic":"orders","partition":3,"offset":42,)"
            R"("timestamp":1700000000000,"key":"k1","value":"{\"id\":1}",)"
            R"("headers":[]})"
            "\n");
}

TEST(JsonLineTest, WritesNullKeyAndMissingTimestampAsNull) {
  EXPECT_EQ(json_line(make_record("t", 0, 0, -1, kNull, bytes("v"))),
            R"({"topic":"t","partition":0,"offset":0,"timestamp":null,)"
            R"("key":null,"value":"v","headers":[]})"
            "\n");
}

TEST(JsonLineTest, WritesTombstoneValueAsNullAndEmptyValueAsEmptyString) {
  EXPECT_EQ(json_line(make_record("t", 1, 9, 5, bytes("k"), kNull)),
            R"({"topic":"t","partition":1,"offset":9,"timestamp":5,)"
            R"("key":"k","value":null,"headers":[]})"
            "\n");
  EXPECT_EQ(json_line(make_record("t", 1, 9, 5, bytes(""), bytes(""))),
            R"({"topic":"t","partition":1,"offset":9,"timestamp":5,)"
            R"("key":"","value":"","headers":[]})"
            "\n");
}

TEST(JsonLineTest, WritesBytesThatAreNotUtf8AsBase64) {
  const std::string key = "\xff\x00\x01"s;
  EXPECT_EQ(json_line(make_record("t", 0, 1, 2, bytes(key), bytes("\xc3"))),
            R"({"topic":"t","partition":0,"offset":1,"timestamp":2,)"
            R"("key_b64":"/wAB","value_b64":"ww==","headers":[]})"
            "\n");
}

TEST(JsonLineTest, WritesHeadersWithTextBase64AndNullValues) {
  const rdc_header headers[] = {
      {.name = "trace-id", .value = bytes("abc")},
      {.name = "raw", .value = bytes("\xfe\xff")},
      {.name = "none", .value = kNull},
  };
  EXPECT_EQ(
      json_line(make_record("t", 0, 1, 2, bytes("k"), bytes("v"), headers)),
      R"({"topic":"t","partition":0,"offset":1,"timestamp":2,)"
      R"("key":"k","value":"v","headers":[)"
      R"({"key":"trace-id","value":"abc"},)"
      R"({"key":"raw","value_b64":"/v8="},)"
      R"({"key":"none","value":null}]})"
      "\n");
}

TEST(JsonLineTest, EscapesQuotesBackslashesAndControlCharacters) {
  const std::string value = "a\"b\\c\n\r\t\b\f\x01\x1f\x7f h\xc3\xa9" + "\0"s;
  EXPECT_EQ(json_line(make_record("t", 0, 1, 2, kNull, bytes(value))),
            R"({"topic":"t","partition":0,"offset":1,"timestamp":2,)"
            R"("key":null,"value":"a\"b\\c\n\r\t\b\f\u0001\u001f)"
            "\x7f h\xc3\xa9"
            R"(\u0000","headers":[]})"
            "\n");
}

TEST(JsonLineTest, OutputParsesBackToTheSameBytes) {
  const std::string value = "q\"\\\n\x02 \xe2\x82\xac";
  const nlohmann::json line = nlohmann::json::parse(
      json_line(make_record("t", 0, 1, 2, bytes("k"), bytes(value))));
  EXPECT_EQ(line.at("value"), value);
}

TEST(TextLineTest, WritesTopicPartitionOffsetKeyAndValue) {
  EXPECT_EQ(text_line(make_record("orders", 3, 42, 1, bytes("k1"),
                                  bytes(R"({"id":1})"))),
            "orders[3]@42 key=k1 value={\"id\":1}\n");
}

TEST(TextLineTest, WritesNullsAsNull) {
  EXPECT_EQ(text_line(make_record("t", 0, 7, 1, kNull, kNull)),
            "t[0]@7 key=null value=null\n");
}

TEST(TextLineTest, EscapesNonPrintableBytesAndBackslashes) {
  EXPECT_EQ(text_line(make_record("t", 0, 7, 1, bytes("a b\\"),
                                  bytes("x\n\xff\x7f"))),
            "t[0]@7 key=a b\\\\ value=x\\x0a\\xff\\x7f\n");
}

TEST(TextLineTest, EscapesAtTheEdgesAndBetweenRunsOfPlainText) {
  EXPECT_EQ(text_line(make_record("t", 0, 1, 1,
                                  bytes("\x01"
                                        "ab\\\\cd\x02"),
                                  bytes(""))),
            "t[0]@1 key=\\x01ab\\\\\\\\cd\\x02 value=\n");
  EXPECT_EQ(text_line(make_record("t", 0, 2, 1, bytes("\x1f\x20\x7e\x7f"),
                                  bytes("plain text only"))),
            "t[0]@2 key=\\x1f ~\\x7f value=plain text only\n");
}

// The escape scans eight bytes at a time: every byte value, at every position
// of a word and of the byte-at-a-time tail, must come out as the one-byte
// rule says (`\\` for a backslash, `\xHH` for a byte outside 0x20..0x7e).
TEST(TextLineTest, EscapesEveryByteValueAtEveryPosition) {
  constexpr size_t kLength = 27;  // three words and a tail of three
  for (int value = 0; value <= 0xff; ++value) {
    const auto byte = static_cast<unsigned char>(value);
    std::string escaped(1, static_cast<char>(byte));
    if (byte == '\\') {
      escaped = "\\\\";
    } else if (byte < 0x20 || byte >= 0x7f) {
      static constexpr char kHex[] = "0123456789abcdef";
      escaped = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0x0f]};
    }
    for (size_t position = 0; position < kLength; ++position) {
      std::string value_bytes(kLength, 'a');
      value_bytes[position] = static_cast<char>(byte);
      const std::string expected =
          "t[0]@1 key=null value=" + std::string(position, 'a') + escaped +
          std::string(kLength - position - 1, 'a') + "\n";
      ASSERT_EQ(text_line(make_record("t", 0, 1, 1, kNull, bytes(value_bytes))),
                expected)
          << "byte 0x" << std::hex << value << " at position " << std::dec
          << position;
    }
  }
}

TEST(LogSinkTest, FlushMakesTheLinesVisibleInTheFile) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  FakeHost host;
  LogSink sink(TestConfig({{"path", path}}).config(), host.host());
  const rdc_record records[] = {
      make_record("t", 0, 5, 1000, bytes("k"), bytes("v"))};

  put(sink, records);
  EXPECT_EQ(read_file(path), "");
  sink.flush();
  EXPECT_EQ(read_file(path),
            R"({"topic":"t","partition":0,"offset":5,"timestamp":1000,)"
            R"("key":"k","value":"v","headers":[]})"
            "\n");
}

// A task that failed is destroyed without a flush: what it put was never
// committed and is read again, so writing it now would double it.
TEST(LogSinkTest, DestroyingAnInstanceWritesNothingItDidNotFlush) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  FakeHost host;
  {
    LogSink sink(TestConfig({{"path", path}}).config(), host.host());
    const rdc_record records[] = {
        make_record("t", 0, 5, 1000, bytes("k"), bytes("v"))};
    put(sink, records);
  }
  EXPECT_EQ(read_file(path), "");
}

TEST(LogSinkTest, AppendsToAnExistingFile) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  std::ofstream(path) << "earlier line\n";
  FakeHost host;
  LogSink sink(TestConfig({{"path", path}, {"format", "text"}}).config(),
               host.host());
  const rdc_record records[] = {make_record("t", 0, 5, 1, kNull, bytes("v"))};

  put(sink, records);
  sink.flush();
  EXPECT_EQ(read_file(path), "earlier line\nt[0]@5 key=null value=v\n");
}

TEST(LogSinkTest, TerminatesALineLeftUnfinishedByAnEarlierWriter) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  std::ofstream(path) << "complete\ncut sho";
  FakeHost host;
  LogSink sink(TestConfig({{"path", path}, {"format", "text"}}).config(),
               host.host());
  const rdc_record records[] = {make_record("t", 0, 5, 1, kNull, bytes("v"))};

  put(sink, records);
  sink.flush();
  EXPECT_EQ(read_file(path), "complete\ncut sho\nt[0]@5 key=null value=v\n");
}

// Every text line of this test is 25 bytes: "t[0]@NN key=k value=vvvv\n".
std::vector<rdc_record> two_digit_offsets(int64_t first, int64_t count) {
  std::vector<rdc_record> records;
  for (int64_t offset = first; offset < first + count; ++offset) {
    records.push_back(
        make_record("t", 0, offset, 1, bytes("k"), bytes("vvvv")));
  }
  return records;
}

std::vector<std::string> text_lines(int64_t first, int64_t count) {
  std::vector<std::string> lines;
  for (int64_t offset = first; offset < first + count; ++offset) {
    lines.push_back("t[0]@" + std::to_string(offset) + " key=k value=vvvv");
  }
  return lines;
}

TEST(LogSinkTest, RotatesWhenTheFileReachesRotateBytes) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  FakeHost host;
  LogSink sink(
      TestConfig({{"path", path}, {"format", "text"}, {"rotate_bytes", "100"}})
          .config(),
      host.host());
  const std::vector<rdc_record> records = two_digit_offsets(10, 10);

  put(sink, records);
  sink.flush();
  EXPECT_EQ(read_lines(path + ".2"), text_lines(10, 4));
  EXPECT_EQ(read_lines(path + ".1"), text_lines(14, 4));
  EXPECT_EQ(read_lines(path), text_lines(18, 2));
  EXPECT_FALSE(fs::exists(path + ".3"));
}

TEST(LogSinkTest, RotationKeepsOnlyRotateKeepFiles) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  FakeHost host;
  LogSink sink(TestConfig({{"path", path},
                           {"format", "text"},
                           {"rotate_bytes", "100"},
                           {"rotate_keep", "2"}})
                   .config(),
               host.host());
  const std::vector<rdc_record> records = two_digit_offsets(10, 20);

  // One put per record, so that rotation also happens across flushes.
  for (const rdc_record& record : records) {
    put(sink, {&record, 1});
    sink.flush();
  }
  EXPECT_EQ(read_lines(path + ".2"), text_lines(18, 4));
  EXPECT_EQ(read_lines(path + ".1"), text_lines(22, 4));
  EXPECT_EQ(read_lines(path), text_lines(26, 4));
  EXPECT_FALSE(fs::exists(path + ".3"));
}

// Writes `batches` batches of `batch_size` records of `topic`, with offsets
// counting from 0, flushing after each.
void write_topic(LogSink& sink, const char* topic, int batches,
                 int batch_size) {
  const std::string value(100, 'v');
  int64_t offset = 0;
  for (int batch = 0; batch < batches; ++batch) {
    std::vector<rdc_record> records;
    for (int i = 0; i < batch_size; ++i) {
      records.push_back(
          make_record(topic, 0, offset++, 1, bytes("k"), bytes(value)));
    }
    put(sink, records);
    sink.flush();
  }
}

TEST(LogSinkTest, TwoInstancesOnOnePathNeverInterleaveLines) {
  constexpr int kBatches = 50;
  constexpr int kBatchSize = 100;
  TempDir dir;
  const std::string path = dir.file("out.log");
  // Rotation too, so that it races with the other instance's appends.
  const TestConfig config(
      {{"path", path}, {"rotate_bytes", "65536"}, {"rotate_keep", "1000"}});
  FakeHost host;
  LogSink first(config.config(), host.host());
  LogSink second(config.config(), host.host());

  std::thread first_writer(
      [&] { write_topic(first, "a", kBatches, kBatchSize); });
  std::thread second_writer(
      [&] { write_topic(second, "b", kBatches, kBatchSize); });
  first_writer.join();
  second_writer.join();

  std::vector<std::string> files;
  for (int number = 1000; number >= 1; --number) {
    const std::string rotated = path + "." + std::to_string(number);
    if (fs::exists(rotated)) files.push_back(rotated);
  }
  files.push_back(path);
  EXPECT_GT(files.size(), 2u);

  std::map<std::string, int64_t> next_offset = {{"a", 0}, {"b", 0}};
  size_t line_count = 0;
  for (const std::string& file : files) {
    for (const std::string& line : read_lines(file)) {
      ++line_count;
      const nlohmann::json record = nlohmann::json::parse(line);
      const std::string topic = record.at("topic");
      EXPECT_EQ(record.at("offset"), next_offset.at(topic)) << line;
      EXPECT_EQ(record.at("value"), std::string(100, 'v'));
      next_offset[topic] = record.at("offset").get<int64_t>() + 1;
    }
  }
  EXPECT_EQ(line_count, 2u * kBatches * kBatchSize);
  EXPECT_EQ(next_offset.at("a"), kBatches * kBatchSize);
  EXPECT_EQ(next_offset.at("b"), kBatches * kBatchSize);
}

TEST(LogSinkTest, InstancesWithDifferentRotationCannotShareAPath) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  FakeHost host;
  LogSink first(TestConfig({{"path", path}, {"rotate_bytes", "100"}}).config(),
                host.host());
  try {
    LogSink second(
        TestConfig({{"path", path}, {"rotate_bytes", "200"}}).config(),
        host.host());
    FAIL() << "a second rotation setting for one path was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("rotate_bytes = 100"),
              std::string::npos)
        << error.what();
  }
}

// Sets the umask for one test and puts the old one back.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

mode_t permissions_of(const std::string& path) {
  struct stat status {};
  EXPECT_EQ(::stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 07777;
}

// Records may hold personal data, so a new file is the owner's alone unless
// file_mode says otherwise; rotation creates the new file the same way.
TEST(LogSinkTest, CreatesFilesWithFileMode) {
  ScopedUmask umask(022);
  TempDir dir;
  FakeHost host;
  const std::string private_path = dir.file("private.log");
  const std::string shared_path = dir.file("shared.log");
  const rdc_record records[] = {make_record("t", 0, 5, -1, kNull, bytes("v"))};
  {
    LogSink sink(TestConfig({{"path", private_path}}).config(), host.host());
    LogSink group(TestConfig({{"path", shared_path},
                              {"file_mode", "640"},
                              {"rotate_bytes", "1"}})
                      .config(),
                  host.host());
    put(group, records);
    group.flush();
    put(group, records);
    group.flush();
  }
  EXPECT_EQ(permissions_of(private_path), 0600);
  EXPECT_EQ(permissions_of(shared_path), 0640);
  EXPECT_EQ(permissions_of(shared_path + ".1"), 0640);
}

TEST(LogSinkTest, UnopenablePathIsFatalNamingThePath) {
  TempDir dir;
  const std::string path = dir.file("missing/out.log");
  FakeHost host;
  try {
    LogSink sink(TestConfig({{"path", path}}).config(), host.host());
    FAIL() << "a path in a missing directory was accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(std::string(error.what()),
              "log_sink: cannot open '" + path +
                  "' for appending: No such file or directory; check that "
                  "the directory exists and is writable");
  }
}

TEST(LogSinkTest, WriteErrorIsRetriableAndKeepsTheLines) {
  FakeHost host;
  const TestConfig config({{"path", "/dev/full"}});
  const rdc_sink_api* api = detail::sink_api<LogSink>();
  void* instance = nullptr;
  char errstr[RDC_ERRSTR_SIZE] = {};
  ASSERT_EQ(api->create(host.raw(), config.data(), config.size(), &instance,
                        errstr, sizeof errstr),
            RDC_OK);
  const rdc_record records[] = {make_record("t", 0, 1, 2, kNull, bytes("v"))};

  EXPECT_EQ(api->put(instance, records, 1, errstr, sizeof errstr), RDC_OK);
  for (int attempt = 0; attempt < 2; ++attempt) {
    EXPECT_EQ(api->flush(instance, errstr, sizeof errstr), RDC_RETRY);
    EXPECT_STREQ(errstr,
                 "log_sink: cannot write to '/dev/full': No space left on "
                 "device");
  }
  api->destroy(instance);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// A disk that fills up mid-write (here a file size limit, which makes
// write() stop short and then fail with EFBIG, as ENOSPC would): the file
// is cut back to its last whole line, the flush is retriable, and once
// there is room again every line is there exactly once. Runs in a child
// process so that the limit stays there.
TEST(LogSinkTest, AFullDiskLeavesOnlyWholeLinesAndTheRetryWritesTheRest) {
  TempDir dir;
  const std::string path = dir.file("out.log");
  constexpr int kRecords = 50;
  constexpr rlim_t kLimit = 1000;  // room for some lines, not all
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{kLimit, RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(10);
    FakeHost host;
    LogSink sink(TestConfig({{"path", path}}).config(), host.host());
    std::vector<rdc_record> records;
    for (int i = 0; i < kRecords; ++i) {
      records.push_back(make_record("t", 0, i, 1000, kNull, bytes("value")));
    }
    put(sink, records);
    try {
      sink.flush();
      _exit(11);
    } catch (const RetriableError&) {
    }
    std::filesystem::copy_file(path, path + ".after-failure");
    const rlimit room{RLIM_INFINITY, RLIM_INFINITY};
    if (setrlimit(RLIMIT_FSIZE, &room) != 0) _exit(12);
    try {
      sink.flush();
    } catch (const std::exception&) {
      _exit(13);
    }
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);

  const std::string cut = read_file(path + ".after-failure");
  ASSERT_FALSE(cut.empty());
  EXPECT_LE(cut.size(), kLimit);
  EXPECT_EQ(cut.back(), '\n');
  const std::vector<std::string> written = lines_of(cut);
  EXPECT_LT(written.size(), static_cast<size_t>(kRecords));
  const std::vector<std::string> all = lines_of(read_file(path));
  ASSERT_EQ(all.size(), static_cast<size_t>(kRecords));
  for (int i = 0; i < kRecords; ++i) {
    EXPECT_EQ(nlohmann::json::parse(all[i])["offset"], i) << all[i];
  }
}

TEST(LogSinkTest, InvalidOptionsAreRejectedNamingTheKey) {
  FakeHost host;
  const std::pair<std::string, std::string> invalid[] = {
      {"rotate_bytes", "-1"}, {"rotate_keep", "0"},   {"format", "xml"},
      {"path", ""},           {"file_mode", "640x"},  {"file_mode", "4755"},
      {"file_mode", "0440"},  {"file_mode", "06400"},
  };
  for (const auto& [key, value] : invalid) {
    try {
      LogSink sink(TestConfig({{key, value}}).config(), host.host());
      ADD_FAILURE() << key << " was accepted";
    } catch (const std::invalid_argument& error) {
      EXPECT_NE(std::string(error.what()).find("'" + key + "'"),
                std::string::npos)
          << error.what();
    }
  }
}

TEST(LogSinkTest, LogsAssignedAndRevokedPartitionsAtDebug) {
  TempDir dir;
  FakeHost host;
  const std::string path = dir.file("out.log");
  LogSink sink(TestConfig({{"path", path}}).config(), host.host());
  TopicPartition partitions[] = {{"orders", 0, RDC_OFFSET_COMMITTED},
                                 {"orders", 3, RDC_OFFSET_COMMITTED}};

  sink.open(partitions);
  sink.close(partitions);
  EXPECT_EQ(host.messages(RDC_LOG_DEBUG),
            (std::vector<std::string>{
                "writing to '" + path +
                    "' for assigned partitions orders[0], orders[3]",
                "partitions revoked: orders[0], orders[3]"}));
  EXPECT_EQ(partitions[0].offset, RDC_OFFSET_COMMITTED);
}

}  // namespace
}  // namespace rdconnect::log_sink
