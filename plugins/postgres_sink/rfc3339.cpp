#include "rfc3339.hpp"

#include <cctype>
#include <optional>

namespace rdconnect::postgres_sink {
namespace {

// PostgreSQL refuses time zone offsets from 16 hours on.
constexpr int kMaxOffsetHours = 15;

// Reads fixed-width decimal fields and single separators left to right.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  std::optional<int> digits(size_t count) {
    if (text_.size() - at_ < count) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < count; ++i) {
      const char c = text_[at_ + i];
      if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
      value = value * 10 + (c - '0');
    }
    at_ += count;
    return value;
  }

  bool skip(char expected) {
    return skip_any_of(std::string_view(&expected, 1));
  }

  bool skip_any_of(std::string_view choices) {
    if (at_ == text_.size() || choices.find(text_[at_]) == choices.npos) {
      return false;
    }
    ++at_;
    return true;
  }

  // Skips one or more digits; false when there is none.
  bool skip_digit_run() {
    const size_t start = at_;
    while (at_ < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[at_]))) {
      ++at_;
    }
    return at_ > start;
  }

  bool done() const { return at_ == text_.size(); }

 private:
  std::string_view text_;
  size_t at_ = 0;
};

bool leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

bool valid_date(Cursor& cursor) {
  const std::optional<int> year = cursor.digits(4);
  if (!year || *year < 1 || !cursor.skip('-')) return false;
  const std::optional<int> month = cursor.digits(2);
  if (!month || *month < 1 || *month > 12 || !cursor.skip('-')) return false;
  const std::optional<int> day = cursor.digits(2);
  return day && *day >= 1 && *day <= days_in_month(*year, *month);
}

bool valid_time(Cursor& cursor) {
  const std::optional<int> hour = cursor.digits(2);
  if (!hour || *hour > 23 || !cursor.skip(':')) return false;
  const std::optional<int> minute = cursor.digits(2);
  if (!minute || *minute > 59 || !cursor.skip(':')) return false;
  const std::optional<int> second = cursor.digits(2);
  if (!second || *second > 60) return false;
  if (cursor.skip('.')) return *second < 60 && cursor.skip_digit_run();
  return true;
}

bool valid_offset(Cursor& cursor) {
  if (cursor.skip_any_of("Zz")) return true;
  if (!cursor.skip_any_of("+-")) return false;
  const std::optional<int> hours = cursor.digits(2);
  if (!hours || *hours > kMaxOffsetHours || !cursor.skip(':')) return false;
  const std::optional<int> minutes = cursor.digits(2);
  return minutes && *minutes <= 59;
}

}  // namespace

bool is_rfc3339_timestamp(std::string_view text) {
  Cursor cursor(text);
  return valid_date(cursor) && cursor.skip_any_of("Tt") && valid_time(cursor) &&
         valid_offset(cursor) && cursor.done();
}

}  // namespace rdconnect::postgres_sink
