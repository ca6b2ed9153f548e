// The "json" line format of log_sink.
#pragma once

#include <string>

#include <rdconnect/plugin.hpp>

namespace rdconnect::log_sink {

/// Appends `record` as one JSON object and a '\n':
///
///   {"topic":"t","partition":0,"offset":5,"timestamp":1700000000000,
///    "key":"k","value":"v","headers":[{"key":"h","value":"x"}]}
///
/// "timestamp" is null when the record has none. Key, value and header
/// values are JSON strings when they are valid UTF-8 and null when null;
/// other bytes are written in base64 under "key_b64" or "value_b64" instead
/// (in headers too). The value is never parsed: a JSON
/// value is written as a string holding that JSON.
void append_json_line(const Record& record, std::string& out);

}  // namespace rdconnect::log_sink
