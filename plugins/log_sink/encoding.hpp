// Encodings for writing record fields as text; UTF-8 validation and
// base64 come from the SDK (rdconnect/encoding.hpp).
#pragma once

#include <cstdint>
#include <string>

#include <rdconnect/encoding.hpp>

namespace rdconnect::log_sink {

/// Appends `value` in decimal.
void append_decimal(int64_t value, std::string& out);

}  // namespace rdconnect::log_sink
