#include "plugin/elf_check.hpp"

#include <elf.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

namespace rdconnect::plugin {
namespace {

// The host only ever loads plugins built for itself, and the header layouts
// below are the 64-bit little-endian ones.
static_assert(sizeof(void*) == 8 && std::endian::native == std::endian::little,
              "elf_problem() checks 64-bit little-endian ELF files only");

constexpr std::string_view kMalformed = "truncated or malformed ELF file: ";

// Copies a header out of `file` (which need not be aligned for it); the
// caller has checked that the bytes exist.
template <typename Header>
Header read_at(std::span<const std::byte> file, uint64_t offset) {
  Header header;
  std::memcpy(&header, file.data() + offset, sizeof header);
  return header;
}

// Where `length` bytes from `offset` end, for messages; hostile values may
// point past what 64 bits can count.
std::string end_of(uint64_t offset, uint64_t length) {
  if (length > UINT64_MAX - offset) return "beyond 2^64";
  return std::to_string(offset + length);
}

// Whether `count` entries of `entry_size` bytes from `offset` lie within
// `size` bytes, without overflowing on hostile values.
bool table_fits(uint64_t offset, uint64_t count, uint64_t entry_size,
                uint64_t size) {
  if (offset > size) return false;
  return count <= (size - offset) / entry_size;
}

std::optional<std::string> identification_problem(
    std::span<const std::byte> file) {
  if (file.size() < SELFMAG || std::memcmp(file.data(), ELFMAG, SELFMAG) != 0) {
    return std::string(
        "not an ELF file (it does not start with the ELF magic number)");
  }
  if (file.size() < sizeof(Elf64_Ehdr)) {
    return fmt::format("{}the ELF header needs {} bytes but the file has {}",
                       kMalformed, sizeof(Elf64_Ehdr), file.size());
  }
  const auto elf_class = std::to_integer<int>(file[EI_CLASS]);
  const auto byte_order = std::to_integer<int>(file[EI_DATA]);
  if (elf_class != ELFCLASS64 || byte_order != ELFDATA2LSB) {
    return fmt::format(
        "an ELF file of class {} and byte order {}, but this host loads only "
        "64-bit little-endian libraries (class {}, byte order {})",
        elf_class, byte_order, ELFCLASS64, ELFDATA2LSB);
  }
  return std::nullopt;
}

std::optional<std::string> header_problem(const Elf64_Ehdr& header) {
  if (header.e_type != ET_DYN) {
    return fmt::format(
        "not a shared library (ELF type {}, expected {} for a shared object)",
        header.e_type, ET_DYN);
  }
  if (header.e_ehsize != sizeof(Elf64_Ehdr) ||
      header.e_phentsize != sizeof(Elf64_Phdr) || header.e_phnum == 0) {
    return fmt::format(
        "{}header size {}, program header size {} and count {} (expected {}, "
        "{} and at least 1)",
        kMalformed, header.e_ehsize, header.e_phentsize, header.e_phnum,
        sizeof(Elf64_Ehdr), sizeof(Elf64_Phdr));
  }
  return std::nullopt;
}

std::optional<std::string> segments_problem(std::span<const std::byte> file,
                                            const Elf64_Ehdr& header) {
  const uint64_t size = file.size();
  if (!table_fits(header.e_phoff, header.e_phnum, sizeof(Elf64_Phdr), size)) {
    return fmt::format(
        "{}the program header table ({} entries at byte {}) does not fit in "
        "the file's {} bytes",
        kMalformed, header.e_phnum, header.e_phoff, size);
  }
  for (uint16_t i = 0; i < header.e_phnum; ++i) {
    const auto segment =
        read_at<Elf64_Phdr>(file, header.e_phoff + i * sizeof(Elf64_Phdr));
    if (segment.p_offset > size || segment.p_filesz > size - segment.p_offset) {
      return fmt::format(
          "{}segment {} ends at byte {} but the file has {} bytes", kMalformed,
          i, end_of(segment.p_offset, segment.p_filesz), size);
    }
  }
  return std::nullopt;
}

// The loader does not need section headers, but a table cut off by a
// truncation is as sure a sign of a damaged file as a cut-off segment.
std::optional<std::string> sections_problem(uint64_t size,
                                            const Elf64_Ehdr& header) {
  if (header.e_shoff == 0) return std::nullopt;
  if (header.e_shentsize != sizeof(Elf64_Shdr)) {
    return fmt::format("{}section header size {} (expected {})", kMalformed,
                       header.e_shentsize, sizeof(Elf64_Shdr));
  }
  // With more than SHN_LORESERVE sections e_shnum is 0 and the count is in
  // the first section header; that one must exist at least.
  const uint64_t count = header.e_shnum == 0 ? 1 : header.e_shnum;
  if (!table_fits(header.e_shoff, count, sizeof(Elf64_Shdr), size)) {
    return fmt::format(
        "{}the section header table ends at byte {} but the file has {} bytes",
        kMalformed, end_of(header.e_shoff, count * sizeof(Elf64_Shdr)), size);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_problem(std::span<const std::byte> file) {
  if (auto problem = identification_problem(file)) return problem;
  const auto header = read_at<Elf64_Ehdr>(file, 0);
  if (auto problem = header_problem(header)) return problem;
  if (auto problem = segments_problem(file, header)) return problem;
  return sections_problem(file.size(), header);
}

}  // namespace rdconnect::plugin
