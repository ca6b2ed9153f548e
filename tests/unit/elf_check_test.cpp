// The ELF header check run before dlopen(): on hand-made headers for the
// edge cases, and on truncated copies of a real plugin library.
#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/elf_check.hpp"
#include "plugin/loaded_plugin.hpp"
#include "test_paths.hpp"

namespace rdconnect::plugin {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Optional;
using ::testing::StartsWith;

const std::filesystem::path kFixtureDir = RDCONNECT_FIXTURE_DIR;

// A shared object's ELF header followed by `segments` program headers,
// padded to `size` bytes.
struct ElfImage {
  Elf64_Ehdr header{};
  std::vector<Elf64_Phdr> segments;
  size_t size = 0;

  ElfImage() {
    std::memcpy(header.e_ident, ELFMAG, SELFMAG);
    header.e_ident[EI_CLASS] = ELFCLASS64;
    header.e_ident[EI_DATA] = ELFDATA2LSB;
    header.e_ident[EI_VERSION] = EV_CURRENT;
    header.e_type = ET_DYN;
    header.e_ehsize = sizeof(Elf64_Ehdr);
    header.e_phoff = sizeof(Elf64_Ehdr);
    header.e_phentsize = sizeof(Elf64_Phdr);
    add_segment(0, 200);
    size = 4096;
  }

  void add_segment(uint64_t offset, uint64_t length) {
    Elf64_Phdr segment{};
    segment.p_type = PT_LOAD;
    segment.p_offset = offset;
    segment.p_filesz = length;
    segments.push_back(segment);
  }

  std::vector<std::byte> bytes() {
    header.e_phnum = static_cast<uint16_t>(segments.size());
    std::vector<std::byte> image(size);
    std::vector<std::byte> whole(sizeof header +
                                 segments.size() * sizeof(Elf64_Phdr));
    std::memcpy(whole.data(), &header, sizeof header);
    std::memcpy(whole.data() + sizeof header, segments.data(),
                segments.size() * sizeof(Elf64_Phdr));
    std::memcpy(image.data(), whole.data(), std::min(size, whole.size()));
    return image;
  }
};

std::vector<std::byte> text_bytes(const std::string& text) {
  std::vector<std::byte> bytes(text.size());
  std::memcpy(bytes.data(), text.data(), text.size());
  return bytes;
}

TEST(ElfProblemTest, AcceptsSaneSharedObjectHeaders) {
  EXPECT_EQ(elf_problem(ElfImage().bytes()), std::nullopt);
}

TEST(ElfProblemTest, RefusesWhatIsNotElf) {
  const std::string not_elf =
      "not an ELF file (it does not start with the ELF magic number)";
  EXPECT_THAT(elf_problem({}), Optional(not_elf));
  EXPECT_THAT(elf_problem(text_bytes("\x7f"
                                     "EL")),
              Optional(not_elf));
  EXPECT_THAT(elf_problem(text_bytes("#!/bin/sh\necho hello\n")),
              Optional(not_elf));
}

TEST(ElfProblemTest, RefusesAHeaderCutShort) {
  ElfImage image;
  image.size = 40;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string("truncated or malformed ELF file: the ELF "
                                   "header needs 64 bytes but the file has "
                                   "40")));
}

TEST(ElfProblemTest, RefusesOtherClassesAndByteOrders) {
  ElfImage image;
  image.header.e_ident[EI_CLASS] = ELFCLASS32;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string(
                  "an ELF file of class 1 and byte order 1, but this host "
                  "loads only 64-bit little-endian libraries (class 2, byte "
                  "order 1)")));
  image.header.e_ident[EI_CLASS] = ELFCLASS64;
  image.header.e_ident[EI_DATA] = ELFDATA2MSB;
  EXPECT_THAT(elf_problem(image.bytes()), Optional(HasSubstr("byte order 2")));
}

TEST(ElfProblemTest, RefusesAnExecutable) {
  ElfImage image;
  image.header.e_type = ET_EXEC;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string("not a shared library (ELF type 2, "
                                   "expected 3 for a shared object)")));
}

TEST(ElfProblemTest, RefusesWrongHeaderSizes) {
  ElfImage image;
  image.header.e_phentsize = 12;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string(
                  "truncated or malformed ELF file: header size 64, program "
                  "header size 12 and count 1 (expected 64, 56 and at least "
                  "1)")));
}

TEST(ElfProblemTest, RefusesAProgramHeaderTablePastTheEnd) {
  ElfImage image;
  image.header.e_phoff = 4090;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string("truncated or malformed ELF file: the "
                                   "program header table (1 entries at byte "
                                   "4090) does not fit in the file's 4096 "
                                   "bytes")));
}

TEST(ElfProblemTest, RefusesASegmentEndingPastTheEnd) {
  ElfImage image;
  image.add_segment(4000, 97);
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string("truncated or malformed ELF file: segment "
                                   "1 ends at byte 4097 but the file has 4096 "
                                   "bytes")));
}

TEST(ElfProblemTest, RefusesHostileOffsetsWithoutOverflowing) {
  ElfImage image;
  image.add_segment(100, UINT64_MAX - 50);
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(HasSubstr("segment 1 ends at byte beyond 2^64")));
  ElfImage far;
  far.header.e_phoff = UINT64_MAX - 10;
  EXPECT_THAT(elf_problem(far.bytes()),
              Optional(HasSubstr("the program header table")));
}

TEST(ElfProblemTest, RefusesASectionHeaderTablePastTheEnd) {
  ElfImage image;
  image.header.e_shoff = 4000;
  image.header.e_shentsize = sizeof(Elf64_Shdr);
  image.header.e_shnum = 3;
  EXPECT_THAT(elf_problem(image.bytes()),
              Optional(std::string("truncated or malformed ELF file: the "
                                   "section header table ends at byte 4192 "
                                   "but the file has 4096 bytes")));
}

// A real plugin cut at `length(size)` bytes, loaded the way the host does.
struct Truncation {
  std::string name;
  size_t (*length)(size_t size);
};

void PrintTo(const Truncation& truncation, std::ostream* out) {
  *out << truncation.name;
}

class TruncatedPluginTest : public ::testing::TestWithParam<Truncation> {};

TEST_P(TruncatedPluginTest, IsRefusedBeforeItIsMapped) {
  const std::filesystem::path original = kFixtureDir / "fixture_c_sink.so";
  const size_t length = GetParam().length(std::filesystem::file_size(original));
  testing::ScratchDirectory scratch("rdconnect-elf");
  const std::filesystem::path file = scratch / "fixture_c_sink.so";
  std::filesystem::copy_file(original, file);
  std::filesystem::resize_file(file, length);

  try {
    load_plugin(file);
    ADD_FAILURE() << "a library cut at " << length << " bytes was loaded";
  } catch (const PluginLoadError& error) {
    EXPECT_THAT(
        error.what(),
        AllOf(StartsWith("cannot load plugin library '" + file.string() +
                         "': truncated or malformed ELF file: "),
              HasSubstr(std::to_string(length) + " bytes"),
              HasSubstr("; rebuild or reinstall the plugin")));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Lengths, TruncatedPluginTest,
    ::testing::Values(
        Truncation{"JustTheElfHeader",
                   [](size_t) { return sizeof(Elf64_Ehdr); }},
        Truncation{"Half", [](size_t size) { return size / 2; }},
        Truncation{"AllButOnePage", [](size_t size) { return size - 4096; }},
        Truncation{"AllButOneByte", [](size_t size) { return size - 1; }}),
    [](const ::testing::TestParamInfo<Truncation>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace rdconnect::plugin
