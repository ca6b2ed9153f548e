// Checks that find, before a batch is sent, the records PostgreSQL would
// refuse, so that one bad record never fails the whole transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rdconnect::postgres_sink {

/// Why `text` cannot be stored in a text column (invalid UTF-8, a NUL
/// byte), or nullopt when it can.
std::optional<std::string> text_rejection(std::string_view text);

/// Why `json` cannot be stored in a jsonb column (not JSON, invalid UTF-8,
/// a \u0000 escape, which jsonb refuses), or nullopt when it can.
std::optional<std::string> jsonb_rejection(std::string_view json);

}  // namespace rdconnect::postgres_sink
