// One record as one line of JSON.
#pragma once

#include <optional>
#include <string>

#include <rdconnect/plugin.hpp>

namespace jsonl_sink {

/// Appends `record` to `out` as one line of JSON with a trailing newline:
///   {"topic":"t","partition":0,"offset":7,"timestamp":1700000000000,
///    "key":"k","value":"v"}
/// (key and value are null for a Kafka null; timestamp is null when the
/// record has none). Headers are left out to keep the example short.
///
/// JSON strings hold Unicode text, so a key or value that is not valid
/// UTF-8 cannot be written as one: then nothing is appended and the return
/// value says which field it was ("key" or "value").
std::optional<std::string> append_json_line(const rdconnect::Record& record,
                                            std::string& out);

}  // namespace jsonl_sink
