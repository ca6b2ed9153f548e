// The JSON text of Avro logical-type values: exact decimals, and dates,
// times and timestamps in RFC 3339's forms. Each appends a quoted string, or
// throws DatumFault for a value that has no such text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

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

}  // namespace rdconnect::schema
