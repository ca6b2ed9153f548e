#include "config/record_format.hpp"

#include <array>
#include <utility>

namespace rdconnect::config {
namespace {

constexpr std::array<std::pair<RecordFormat, std::string_view>, 5> kNames = {{
    {RecordFormat::bytes, "bytes"},
    {RecordFormat::string, "string"},
    {RecordFormat::json, "json"},
    {RecordFormat::avro, "avro"},
    {RecordFormat::json_schema, "json_schema"},
}};

}  // namespace

std::string_view record_format_name(RecordFormat format) {
  for (const auto& [known, name] : kNames) {
    if (known == format) return name;
  }
  return "bytes";
}

std::optional<RecordFormat> record_format_named(std::string_view name) {
  for (const auto& [format, known] : kNames) {
    if (known == name) return format;
  }
  return std::nullopt;
}

std::string_view record_format_names() {
  return "bytes, string, json, avro, json_schema";
}

bool uses_schema_registry(RecordFormat format) {
  return format == RecordFormat::avro || format == RecordFormat::json_schema;
}

}  // namespace rdconnect::config
