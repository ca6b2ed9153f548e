#include "encoding.hpp"

#include <charconv>

namespace rdconnect::log_sink {

void append_decimal(int64_t value, std::string& out) {
  char digits[20];  // "-9223372036854775808"
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

}  // namespace rdconnect::log_sink
