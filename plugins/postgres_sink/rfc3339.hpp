// RFC 3339 date-times, the strings that layout=columns stores as
// timestamptz.
#pragma once

#include <string_view>

namespace rdconnect::postgres_sink {

/// True for an RFC 3339 date-time with a time zone, e.g.
/// "2024-02-29T23:59:59.123Z" or "2024-02-29t23:59:59+05:30": the date must
/// exist (leap years included), seconds may be 60 (a leap second), the
/// fraction may have any number of digits. Narrowed to what PostgreSQL's
/// timestamptz accepts, so that a value taken for one is never refused by
/// the server: years 0001-9999, offsets up to +-15:59, and no fraction on a
/// leap second.
bool is_rfc3339_timestamp(std::string_view text);

}  // namespace rdconnect::postgres_sink
