#include "schema/avro_logical_text.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "schema/avro_datum_fault.hpp"

namespace rdconnect::schema {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

// The base-10 conversion divides by this: the most digits whose remainder,
// times 256 plus a byte, still fits 64 bits.
constexpr uint64_t kDigitsChunk = 1'000'000'000;
constexpr int kDigitsPerChunk = 9;

constexpr int64_t kSecondsPerDay = 86'400;

// The days RFC 3339's four-digit years span, relative to 1970-01-01.
constexpr int64_t kFirstDay =
    sys_days{std::chrono::year{0} / 1 / 1}.time_since_epoch().count();
constexpr int64_t kLastDay =
    sys_days{std::chrono::year{9999} / 12 / 31}.time_since_epoch().count();

struct Unit {
  int64_t per_second;
  int digits;  // of the fraction of a second
  const char* name;
};

Unit unit_of(TimeUnit unit) {
  return unit == TimeUnit::millis ? Unit{1'000, 3, "millisecond"}
                                  : Unit{1'000'000, 6, "microsecond"};
}

// Drops leading bytes that only extend the sign (0x00 before a byte whose
// top bit is clear, 0xff before one whose top bit is set): they do not
// change the value, and fixed decimals are padded with them.
std::span<const std::byte> minimal_twos_complement(
    std::span<const std::byte> bytes) {
  while (bytes.size() > 1) {
    const auto first = std::to_integer<unsigned>(bytes[0]);
    const bool next_negative = (std::to_integer<unsigned>(bytes[1]) & 0x80);
    if (!(first == 0x00 && !next_negative) &&
        !(first == 0xff && next_negative)) {
      break;
    }
    bytes = bytes.subspan(1);
  }
  return bytes;
}

// The absolute value of a two's-complement number, big-endian.
std::vector<uint8_t> magnitude(std::span<const std::byte> bytes,
                               bool negative) {
  std::vector<uint8_t> out(bytes.size());
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto byte = std::to_integer<uint8_t>(bytes[i]);
    out[i] = negative ? static_cast<uint8_t>(~byte) : byte;
  }
  if (negative) {
    // Adding 1 cannot carry out of the top byte, whose top bit is clear.
    for (size_t i = out.size(); i-- > 0;) {
      if (++out[i] != 0) break;
    }
  }
  return out;
}

// Schoolbook division by 10^9 over the base-256 digits, repeated.
std::string decimal_digits(std::vector<uint8_t> number) {
  std::string reversed;
  size_t first = 0;
  auto skip_zeros = [&] {
    while (first < number.size() && number[first] == 0) ++first;
  };
  skip_zeros();
  while (first < number.size()) {
    uint64_t remainder = 0;
    for (size_t i = first; i < number.size(); ++i) {
      const uint64_t current = remainder << 8 | number[i];
      number[i] = static_cast<uint8_t>(current / kDigitsChunk);
      remainder = current % kDigitsChunk;
    }
    skip_zeros();
    const bool last = first == number.size();
    for (int d = 0; d < kDigitsPerChunk && !(last && remainder == 0); ++d) {
      reversed += static_cast<char>('0' + remainder % 10);
      remainder /= 10;
    }
  }
  if (reversed.empty()) return std::string(1, '0');
  std::reverse(reversed.begin(), reversed.end());
  return reversed;
}

bool in_four_digit_years(int64_t day) {
  return day >= kFirstDay && day <= kLastDay;
}

[[noreturn]] void beyond_four_digit_years(std::string_view what) {
  throw DatumFault(fmt::format(
      "{} is outside the years 0000 to 9999 that RFC 3339 writes", what));
}

void append_ymd(std::string& out, int64_t day) {
  const year_month_day date{sys_days{std::chrono::days{day}}};
  fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02}",
                 static_cast<int>(date.year()),
                 static_cast<unsigned>(date.month()),
                 static_cast<unsigned>(date.day()));
}

// `value` must be within a day of `unit`s.
void append_hms(std::string& out, int64_t value, const Unit& unit) {
  const int64_t seconds = value / unit.per_second;
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}.{:0{}}",
                 seconds / 3600, seconds / 60 % 60, seconds % 60,
                 value % unit.per_second, unit.digits);
}

}  // namespace

void append_decimal(std::string& out, std::span<const std::byte> unscaled,
                    int32_t scale) {
  if (unscaled.empty()) throw DatumFault("a decimal of no bytes");
  const std::span<const std::byte> minimal = minimal_twos_complement(unscaled);
  if (minimal.size() > kMaxDecimalBytes) {
    throw DatumFault(fmt::format(
        "a decimal of {} significant bytes, more than the {} this host "
        "converts",
        minimal.size(), kMaxDecimalBytes));
  }
  const bool negative = (std::to_integer<unsigned>(minimal[0]) & 0x80) != 0;
  std::string digits = decimal_digits(magnitude(minimal, negative));
  const auto fraction = static_cast<size_t>(scale);
  if (digits.size() <= fraction) {
    digits.insert(0, fraction + 1 - digits.size(), '0');
  }
  out += '"';
  if (negative) out += '-';
  out.append(digits, 0, digits.size() - fraction);
  if (fraction > 0) {
    out += '.';
    out.append(digits, digits.size() - fraction);
  }
  out += '"';
}

void append_date(std::string& out, int64_t days) {
  if (!in_four_digit_years(days)) {
    beyond_four_digit_years(
        fmt::format("a date {} days from 1970-01-01", days));
  }
  out += '"';
  append_ymd(out, days);
  out += '"';
}

void append_time_of_day(std::string& out, int64_t since_midnight,
                        TimeUnit unit) {
  const Unit of = unit_of(unit);
  if (since_midnight < 0 || since_midnight >= kSecondsPerDay * of.per_second) {
    throw DatumFault(fmt::format("a time of day of {} {}s is not within a day",
                                 since_midnight, of.name));
  }
  out += '"';
  append_hms(out, since_midnight, of);
  out += '"';
}

void append_timestamp(std::string& out, int64_t since_epoch, TimeUnit unit,
                      bool utc) {
  const Unit of = unit_of(unit);
  const int64_t per_day = kSecondsPerDay * of.per_second;
  // Floor division, so that times before 1970 fall on the day before with
  // a positive time of day.
  int64_t day = since_epoch / per_day;
  int64_t in_day = since_epoch % per_day;
  if (in_day < 0) {
    --day;
    in_day += per_day;
  }
  if (!in_four_digit_years(day)) {
    beyond_four_digit_years(
        fmt::format("a timestamp {} {}s from 1970", since_epoch, of.name));
  }
  out += '"';
  append_ymd(out, day);
  out += 'T';
  append_hms(out, in_day, of);
  if (utc) out += 'Z';
  out += '"';
}

}  // namespace rdconnect::schema
