#include "rfc3339.hpp"

#include <cstdint>

namespace rdconnect::uuid_source {
namespace {

// Writes `value` as exactly `width` decimal digits, ending just before `end`.
void write_digits(int64_t value, int width, char* end) {
  for (int i = 0; i < width; ++i) {
    *--end = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

void append_rfc3339_millis(std::chrono::system_clock::time_point time,
                           std::string& out) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto day = floor<days>(millis);
  const year_month_day date(day);
  const hh_mm_ss clock(millis - day);

  char text[] = "0000-00-00T00:00:00.000Z";
  write_digits(static_cast<int>(date.year()), 4, text + 4);
  write_digits(static_cast<unsigned>(date.month()), 2, text + 7);
  write_digits(static_cast<unsigned>(date.day()), 2, text + 10);
  write_digits(clock.hours().count(), 2, text + 13);
  write_digits(clock.minutes().count(), 2, text + 16);
  write_digits(clock.seconds().count(), 2, text + 19);
  write_digits(clock.subseconds().count(), 3, text + 23);
  out.append(text, kRfc3339MillisLength);
}

}  // namespace rdconnect::uuid_source
