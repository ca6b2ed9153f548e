#include "schema/avro_logical_type.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "schema/avro_schema.hpp"

namespace rdconnect::schema {
namespace {

using nlohmann::json;

// A fixed this long holds more digits than kMaxDecimalPrecision, so the
// exact bound is not needed (and 8 * size could overflow).
constexpr size_t kFixedBytesBeyondMaxPrecision = 1000;

// Java's bound: the digits of the largest positive value the fixed holds,
// 2^(8 * size - 1) - 1, which is never a power of ten.
int64_t max_fixed_precision(size_t size) {
  if (size == 0) return 0;
  if (size >= kFixedBytesBeyondMaxPrecision) return INT64_MAX;
  return static_cast<int64_t>(
      std::floor(std::log10(2.0) * static_cast<double>(8 * size - 1)));
}

// An integer property, or `fallback` when it is absent; nullopt when it is
// there but not an integer (which makes the annotation invalid).
std::optional<int64_t> integer_property(const json& schema, const char* name,
                                        int64_t fallback) {
  const auto found = schema.find(name);
  if (found == schema.end()) return fallback;
  if (found->is_number_unsigned()) {
    const auto value = found->get<uint64_t>();
    return value > INT64_MAX ? INT64_MAX : static_cast<int64_t>(value);
  }
  if (found->is_number_integer()) return found->get<int64_t>();
  return std::nullopt;
}

LogicalAnnotation read_decimal(const json& schema, AvroType underlying,
                               size_t fixed_size) {
  if (underlying != AvroType::bytes && underlying != AvroType::fixed) return {};
  const std::optional<int64_t> precision =
      integer_property(schema, "precision", 0);
  const std::optional<int64_t> scale = integer_property(schema, "scale", 0);
  if (!precision || !scale || *precision < 1 || *scale < 0 ||
      *scale > *precision) {
    return {};
  }
  if (underlying == AvroType::fixed &&
      *precision > max_fixed_precision(fixed_size)) {
    return {};
  }
  if (*precision > kMaxDecimalPrecision) {
    throw UnusableSchema(fmt::format(
        "a decimal of precision {} has more digits than the {} this host "
        "decodes",
        *precision, kMaxDecimalPrecision));
  }
  return {LogicalType::decimal, static_cast<int32_t>(*scale)};
}

// The annotations other than decimal: a name on one underlying type.
LogicalType read_simple(std::string_view name, AvroType underlying) {
  struct Known {
    std::string_view name;
    AvroType underlying;
    LogicalType type;
  };
  static constexpr Known kKnown[] = {
      {"uuid", AvroType::string, LogicalType::uuid},
      {"date", AvroType::int32, LogicalType::date},
      {"time-millis", AvroType::int32, LogicalType::time_millis},
      {"time-micros", AvroType::int64, LogicalType::time_micros},
      {"timestamp-millis", AvroType::int64, LogicalType::timestamp_millis},
      {"timestamp-micros", AvroType::int64, LogicalType::timestamp_micros},
      {"local-timestamp-millis", AvroType::int64,
       LogicalType::local_timestamp_millis},
      {"local-timestamp-micros", AvroType::int64,
       LogicalType::local_timestamp_micros},
  };
  for (const Known& known : kKnown) {
    if (known.name == name && known.underlying == underlying) return known.type;
  }
  return LogicalType::none;
}

}  // namespace

LogicalAnnotation read_logical_type(const json& schema, AvroType underlying,
                                    size_t fixed_size) {
  if (!schema.is_object()) return {};
  const auto found = schema.find("logicalType");
  if (found == schema.end() || !found->is_string()) return {};
  const auto& name = found->get_ref<const std::string&>();
  if (name == "decimal") return read_decimal(schema, underlying, fixed_size);
  return {read_simple(name, underlying), 0};
}

}  // namespace rdconnect::schema
