// A short, printable rendering of a record key for error messages.
#pragma once

#include <string>
#include <string_view>

namespace rdconnect::partition {

/// The key's first bytes as a double-quoted C-style string: printable ASCII
/// as is, '"' and '\\' escaped, \n \r \t by name, any other byte as \xNN.
/// A key longer than the preview is followed by "..." after the quotes.
std::string key_preview(std::string_view key);

}  // namespace rdconnect::partition
