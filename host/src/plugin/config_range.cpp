#include "plugin/config_range.hpp"

#include <charconv>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

namespace rdconnect::plugin {
namespace {

template <typename Number>
std::optional<Number> parse_whole(std::string_view text) {
  Number number{};
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data(), end, number);
  if (error != std::errc{} || stop != end) return std::nullopt;
  return number;
}

template <typename Number>
std::optional<Number> parse_bound(const char* text) {
  if (text == nullptr) return std::nullopt;
  return parse_whole<Number>(text);
}

// Written as !(a <= b) so that a NaN value is outside every bound.
template <typename Number>
bool within(const rdc_config_entry& entry, std::string_view text) {
  const std::optional<Number> value = parse_whole<Number>(text);
  if (!value.has_value()) return false;
  const std::optional<Number> min = parse_bound<Number>(entry.min_value);
  const std::optional<Number> max = parse_bound<Number>(entry.max_value);
  if (min.has_value() && !(*value >= *min)) return false;
  if (max.has_value() && !(*value <= *max)) return false;
  return true;
}

bool is_number(rdc_config_type type) {
  return type == RDC_CONFIG_INT || type == RDC_CONFIG_DOUBLE;
}

}  // namespace

bool is_textual_form_of(rdc_config_type type, std::string_view text) {
  switch (type) {
    case RDC_CONFIG_INT:
      return parse_whole<int64_t>(text).has_value();
    case RDC_CONFIG_DOUBLE:
      return parse_whole<double>(text).has_value();
    case RDC_CONFIG_BOOL:
      return text == "true" || text == "false";
    default:
      return true;
  }
}

bool is_within_range(const rdc_config_entry& entry, std::string_view value) {
  switch (entry.type) {
    case RDC_CONFIG_INT:
      return within<int64_t>(entry, value);
    case RDC_CONFIG_DOUBLE:
      return within<double>(entry, value);
    case RDC_CONFIG_STRING:
      return entry.non_empty == 0 || !value.empty();
    default:
      return true;
  }
}

std::string range_expectation(const rdc_config_entry& entry) {
  if (entry.type == RDC_CONFIG_STRING && entry.non_empty != 0) {
    return "a non-empty string";
  }
  if (!is_number(entry.type)) return "";
  const char* noun = entry.type == RDC_CONFIG_INT ? "an integer" : "a number";
  if (entry.min_value != nullptr && entry.max_value != nullptr) {
    return fmt::format("{} from {} to {}", noun, entry.min_value,
                       entry.max_value);
  }
  if (entry.min_value != nullptr) {
    return fmt::format("{} of at least {}", noun, entry.min_value);
  }
  if (entry.max_value != nullptr) {
    return fmt::format("{} of at most {}", noun, entry.max_value);
  }
  return "";
}

std::string range_summary(const rdc_config_entry& entry) {
  if (entry.type == RDC_CONFIG_STRING && entry.non_empty != 0) {
    return "non-empty";
  }
  if (!is_number(entry.type)) return "";
  if (entry.min_value != nullptr && entry.max_value != nullptr) {
    return fmt::format("{} to {}", entry.min_value, entry.max_value);
  }
  if (entry.min_value != nullptr) return fmt::format(">= {}", entry.min_value);
  if (entry.max_value != nullptr) return fmt::format("<= {}", entry.max_value);
  return "";
}

}  // namespace rdconnect::plugin
