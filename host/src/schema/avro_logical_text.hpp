// The JSON text of Avro logical-type values: exact decimals, and dates,
// times and timestamps in RFC 3339's forms. Each append_ appends a quoted
// string, or throws DatumFault for a value that has no such text; each
// parse_ reads such text (unquoted) back, for the encoder, or throws
// DatumFault saying why the text is not one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rdconnect::schema {

/// The longest unscaled decimal converted, after sign-extension bytes are
/// dropped: the base-10 conversion takes time quadratic in the length.
/// 512 bytes are 1233 digits, more than kMaxDecimalPrecision.
constexpr size_t kMaxDecimalBytes = 512;

/// `unscaled` (big-endian two's complement, of any length up to
/// kMaxDecimalBytes) divided by 10^scale, with exactly `scale` fractional
/// digits: "-12.34", "0.05", "123" for scale 0.
void append_decimal(std::string& out, std::span<const std::byte> unscaled,
                    int32_t scale);

enum class TimeUnit { millis, micros };

/// "YYYY-MM-DD" of `days` since 1970-01-01; years 0000 to 9999 only, the
/// ones RFC 3339 writes.
void append_date(std::string& out, int64_t days);

/// "HH:MM:SS.mmm" (or ".uuuuuu"): `since_midnight` must be within a day.
void append_time_of_day(std::string& out, int64_t since_midnight,
                        TimeUnit unit);

/// "YYYY-MM-DDTHH:MM:SS.mmmZ" (or ".uuuuuuZ"), without the "Z" for a local
/// timestamp; years 0000 to 9999 only.
void append_timestamp(std::string& out, int64_t since_epoch, TimeUnit unit,
                      bool utc);

/// The unscaled integer of a decimal at `scale`, in the fewest bytes of
/// big-endian two's complement: "-1.00" at scale 2 is -100, the one byte
/// 0x9c. Takes an optional sign, digits, an optional fraction and an
/// optional exponent ("12.3", "+0.50", "1.5e3": JSON's numbers and a little
/// more). Digits beyond the scale must be zeros (a decimal is never
/// rounded), and the unscaled integer may have kMaxDecimalPrecision digits.
std::vector<std::byte> parse_decimal(std::string_view text, int32_t scale);

/// Days since 1970-01-01 of "YYYY-MM-DD", a date of the Gregorian calendar.
int32_t parse_date(std::string_view text);

/// `unit`s since midnight of "HH:MM:SS", with an optional fraction of a
/// second whose digits beyond the unit's must be zeros.
int64_t parse_time_of_day(std::string_view text, TimeUnit unit);

/// `unit`s since 1970-01-01T00:00:00Z of "YYYY-MM-DDTHH:MM:SS[.fraction]"
/// ('T', 't' or ' ' between), as parse_date() and parse_time_of_day()
/// read those; then, for a `utc` timestamp, "Z" or an offset "+HH:MM" or
/// "-HH:MM" (converted to UTC), and for a local one, nothing.
int64_t parse_timestamp(std::string_view text, TimeUnit unit, bool utc);

}  // namespace rdconnect::schema
