// The "text" line format of log_sink.
#pragma once

#include <string>

#include <rdconnect/plugin.hpp>

namespace rdconnect::log_sink {

/// Appends `record` as "topic[partition]@offset key=<key> value=<value>" and
/// a '\n'. Printable ASCII is written as is, a backslash as "\\", any other
/// byte as \xNN; a null key or value is written as null.
void append_text_line(const Record& record, std::string& out);

}  // namespace rdconnect::log_sink
