// Where in a datum the Avro decoder or encoder is, for its error messages:
// "order.lines[3].price", map keys quoted and cut short (they are data).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rdconnect::schema {

/// One step from the datum's root to the value at hand.
struct PathStep {
  enum class Kind { field, index, key } kind;
  const std::string* field;
  uint64_t index;
  std::string_view key;
};

/// At most the first 64 bytes of `text`, not cut inside a UTF-8 sequence
/// (`text` must be UTF-8).
std::string_view shortened(std::string_view text);
/// `text` as a JSON string, shortened, with "..." inside the quotes when it
/// was cut.
std::string shown(std::string_view text);
/// Fields joined by '.', indexes as "[3]", keys as "[\"key\"]".
std::string render(const std::vector<PathStep>& path);

}  // namespace rdconnect::schema
