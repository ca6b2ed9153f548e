// A sanity check of a plugin file's ELF headers, before dlopen() maps it.
//
// dlopen() trusts the headers: a truncated library whose segments claim
// bytes past the end of the file is mapped anyway, and the first touch of
// such a page kills the whole host with SIGBUS. Checking that every byte
// the loader will read exists turns that crash into a refusal.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace rdconnect::plugin {

/// What is wrong with `file` (the whole content of a would-be shared
/// library) as a 64-bit little-endian ELF shared object of this host, or
/// nullopt when its headers are sane: ELF magic, class and byte order, type,
/// header sizes, and the program header table, every segment and the section
/// header table within the file. Pure, so that a fuzz target can call it.
std::optional<std::string> elf_problem(std::span<const std::byte> file);

}  // namespace rdconnect::plugin
