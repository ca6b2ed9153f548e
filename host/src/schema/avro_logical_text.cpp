#include "schema/avro_logical_text.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "schema/avro_datum_fault.hpp"
#include "schema/avro_logical_type.hpp"

namespace rdconnect::schema {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

// The base-10 conversion divides by this: the most digits whose remainder,
// times 256 plus a byte, still fits 64 bits.
constexpr uint64_t kDigitsChunk = 1'000'000'000;
constexpr int kDigitsPerChunk = 9;

constexpr int64_t kSecondsPerDay = 86'400;

// Decimal text with a longer exponent is refused: its digits could only
// fit kMaxDecimalPrecision if they were all zeros.
constexpr size_t kMaxExponentDigits = 6;
constexpr auto kMaxDecimalDigits = static_cast<size_t>(kMaxDecimalPrecision);

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

// Reads text from the front, piece by piece.
class TextCursor {
 public:
  explicit TextCursor(std::string_view text) : rest_(text) {}

  bool at_end() const { return rest_.empty(); }

  // Takes `c` when it comes next.
  bool take(char c) {
    if (rest_.empty() || rest_.front() != c) return false;
    rest_.remove_prefix(1);
    return true;
  }

  // Takes one of `chars` when it comes next; '\0' when none does.
  char take_one_of(std::string_view chars) {
    if (rest_.empty() || chars.find(rest_.front()) == std::string_view::npos) {
      return '\0';
    }
    const char taken = rest_.front();
    rest_.remove_prefix(1);
    return taken;
  }

  // Takes the digits that come next, maybe none.
  std::string_view take_digits() {
    size_t count = 0;
    while (count < rest_.size() && rest_[count] >= '0' && rest_[count] <= '9') {
      ++count;
    }
    const std::string_view digits = rest_.substr(0, count);
    rest_.remove_prefix(count);
    return digits;
  }

  // Takes exactly `count` digits (a few: the value fits), or nothing.
  std::optional<int> take_number(size_t count) {
    const std::string_view digits = rest_.substr(0, count);
    if (digits.size() != count ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    rest_.remove_prefix(count);
    return number_of(digits);
  }

  static int number_of(std::string_view digits) {
    int value = 0;
    for (const char digit : digits) value = value * 10 + (digit - '0');
    return value;
  }

 private:
  std::string_view rest_;
};

// "YYYY-MM-DD" as days since 1970-01-01.
int64_t take_date(TextCursor& text) {
  std::optional<int> year, month, day;
  if (!(year = text.take_number(4)) || !text.take('-') ||
      !(month = text.take_number(2)) || !text.take('-') ||
      !(day = text.take_number(2))) {
    throw DatumFault("expected \"YYYY-MM-DD\"");
  }
  const year_month_day date{std::chrono::year{*year},
                            std::chrono::month{static_cast<unsigned>(*month)},
                            std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.month().ok())
    throw DatumFault(fmt::format("no month {:02}", *month));
  if (!date.ok()) {
    throw DatumFault(
        fmt::format("no day {:02} in {:04}-{:02}", *day, *year, *month));
  }
  return sys_days{date}.time_since_epoch().count();
}

// The fraction of a second after a '.', in `unit`s: the digits beyond the
// unit's may only be zeros, which lose nothing.
int64_t take_fraction(TextCursor& text, const Unit& unit) {
  if (!text.take('.')) return 0;
  const std::string_view digits = text.take_digits();
  if (digits.empty()) throw DatumFault("no digits after the '.'");
  const auto kept = static_cast<size_t>(unit.digits);
  if (digits.find_first_not_of('0', kept) != std::string_view::npos) {
    throw DatumFault(fmt::format(
        "{} fraction digits, more than the {} that {}s keep (it would be "
        "rounded)",
        digits.size(), kept, unit.name));
  }
  int64_t value = TextCursor::number_of(digits.substr(0, kept));
  for (size_t i = digits.size(); i < kept; ++i) value *= 10;
  return value;
}

// "HH:MM:SS[.fraction]" as `unit`s since midnight.
int64_t take_time(TextCursor& text, const Unit& unit) {
  std::optional<int> hour, minute, second;
  if (!(hour = text.take_number(2)) || !text.take(':') ||
      !(minute = text.take_number(2)) || !text.take(':') ||
      !(second = text.take_number(2))) {
    throw DatumFault("expected \"HH:MM:SS\", with an optional fraction");
  }
  if (*hour > 23 || *minute > 59 || *second > 59) {
    throw DatumFault(fmt::format("{:02}:{:02}:{:02} is not a time of day",
                                 *hour, *minute, *second));
  }
  const int64_t seconds = *hour * 3600 + *minute * 60 + *second;
  return seconds * unit.per_second + take_fraction(text, unit);
}

// "Z" or "+HH:MM"/"-HH:MM" as seconds east of UTC; nullopt for none.
std::optional<int64_t> take_offset(TextCursor& text) {
  if (text.take_one_of("Zz") != '\0') return 0;
  const char sign = text.take_one_of("+-");
  if (sign == '\0') return std::nullopt;
  std::optional<int> hours, minutes;
  if (!(hours = text.take_number(2)) || !text.take(':') ||
      !(minutes = text.take_number(2)) || *hours > 23 || *minutes > 59) {
    throw DatumFault("expected an offset \"+HH:MM\" or \"-HH:MM\"");
  }
  const int64_t seconds = *hours * 3600 + *minutes * 60;
  return sign == '-' ? -seconds : seconds;
}

void expect_end(const TextCursor& text, const char* after) {
  if (!text.at_end())
    throw DatumFault(fmt::format("more text after the {}", after));
}

// The exponent after an 'e', bounded: its digits are data.
int64_t take_exponent(TextCursor& text) {
  const bool negative = text.take_one_of("+-") == '-';
  std::string_view digits = text.take_digits();
  if (digits.empty()) throw DatumFault("no digits in the exponent");
  digits.remove_prefix(std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.size() > kMaxExponentDigits) {
    throw DatumFault(
        fmt::format("an exponent of more than {} digits", kMaxExponentDigits));
  }
  const int64_t value = TextCursor::number_of(digits);
  return negative ? -value : value;
}

// The magnitude of decimal digits, big-endian base 256, with no leading
// zero byte: times 10^9 plus the next 9 digits, repeated.
std::vector<uint8_t> magnitude_of_digits(std::string_view digits) {
  std::vector<uint8_t> little_endian;
  for (size_t at = 0; at < digits.size(); at += kDigitsPerChunk) {
    const std::string_view chunk = digits.substr(at, kDigitsPerChunk);
    uint64_t carry = static_cast<uint64_t>(TextCursor::number_of(chunk));
    uint64_t multiplier = 1;
    for (size_t i = 0; i < chunk.size(); ++i) multiplier *= 10;
    for (uint8_t& byte : little_endian) {
      const uint64_t current = byte * multiplier + carry;
      byte = static_cast<uint8_t>(current);
      carry = current >> 8;
    }
    for (; carry > 0; carry >>= 8) {
      little_endian.push_back(static_cast<uint8_t>(carry));
    }
  }
  std::reverse(little_endian.begin(), little_endian.end());
  return little_endian;
}

// The fewest bytes of two's complement for a magnitude that is not zero:
// a sign byte goes before it only when its top bit would say otherwise.
std::vector<std::byte> to_twos_complement(std::vector<uint8_t> magnitude,
                                          bool negative) {
  if (negative) {
    for (uint8_t& byte : magnitude) byte = static_cast<uint8_t>(~byte);
    for (size_t i = magnitude.size(); i-- > 0;) {
      if (++magnitude[i] != 0) break;
    }
  }
  std::vector<std::byte> out;
  const bool top_bit = (magnitude.front() & 0x80) != 0;
  if (top_bit != negative)
    out.push_back(negative ? std::byte{0xff} : std::byte{0});
  for (const uint8_t byte : magnitude) out.push_back(std::byte{byte});
  return out;
}

[[noreturn]] void too_many_digits(size_t digits) {
  throw DatumFault(fmt::format("{} digits, more than the {} a decimal may have",
                               digits, kMaxDecimalPrecision));
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

std::vector<std::byte> parse_decimal(std::string_view text, int32_t scale) {
  TextCursor cursor(text);
  const bool negative = cursor.take_one_of("+-") == '-';
  const std::string_view whole = cursor.take_digits();
  const bool point = cursor.take('.');
  const std::string_view fraction = cursor.take_digits();
  const int64_t exponent =
      cursor.take_one_of("eE") != '\0' ? take_exponent(cursor) : 0;
  if (whole.empty() || (point && fraction.empty()) || !cursor.at_end()) {
    throw DatumFault(
        "expected digits, with an optional sign, fraction and exponent");
  }

  // The value is digits * 10^(exponent - fraction digits); the unscaled
  // integer, that times 10^scale.
  std::string digits(whole);
  digits += fraction;
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.empty()) return {std::byte{0}};
  const int64_t shift =
      exponent - static_cast<int64_t>(fraction.size()) + scale;
  if (shift < 0) {
    const auto dropped = static_cast<uint64_t>(-shift);
    if (dropped >= digits.size() ||
        digits.find_first_not_of('0', digits.size() - dropped) !=
            std::string::npos) {
      throw DatumFault(fmt::format(
          "more fractional digits than the scale of {} (it would be rounded)",
          scale));
    }
    digits.resize(digits.size() - dropped);
  } else if (static_cast<uint64_t>(shift) > kMaxDecimalDigits) {
    too_many_digits(digits.size() + static_cast<size_t>(shift));
  } else {
    digits.append(static_cast<size_t>(shift), '0');
  }
  if (digits.size() > kMaxDecimalDigits) too_many_digits(digits.size());
  return to_twos_complement(magnitude_of_digits(digits), negative);
}

int32_t parse_date(std::string_view text) {
  TextCursor cursor(text);
  const int64_t days = take_date(cursor);
  expect_end(cursor, "date");
  // Four-digit years: well within 32 bits.
  return static_cast<int32_t>(days);
}

int64_t parse_time_of_day(std::string_view text, TimeUnit unit) {
  TextCursor cursor(text);
  const int64_t since_midnight = take_time(cursor, unit_of(unit));
  expect_end(cursor, "time of day");
  return since_midnight;
}

int64_t parse_timestamp(std::string_view text, TimeUnit unit, bool utc) {
  const Unit of = unit_of(unit);
  TextCursor cursor(text);
  const int64_t day = take_date(cursor);
  if (cursor.take_one_of("Tt ") == '\0') {
    throw DatumFault("expected a 'T' between the date and the time");
  }
  const int64_t in_day = take_time(cursor, of);
  const std::optional<int64_t> offset = take_offset(cursor);
  expect_end(cursor, "timestamp");
  if (utc && !offset) {
    throw DatumFault(
        "no \"Z\" or offset such as \"+02:00\": the time would be local");
  }
  if (!utc && offset) {
    throw DatumFault("a local timestamp has no \"Z\" and no offset");
  }
  // Four-digit years of microseconds: well within 64 bits.
  return (day * kSecondsPerDay - offset.value_or(0)) * of.per_second + in_day;
}

}  // namespace rdconnect::schema
