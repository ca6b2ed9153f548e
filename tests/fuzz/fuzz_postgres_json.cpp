// Fuzzes the JSON checks postgres_sink runs on record values before they
// reach PostgreSQL: jsonb_rejection, then (as the sink does, only for JSON
// it accepted) top_level_fields, and text_rejection for text columns.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "json_fields.hpp"
#include "record_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  rdconnect::postgres_sink::text_rejection(json);
  if (!rdconnect::postgres_sink::jsonb_rejection(json)) {
    const auto fields = rdconnect::postgres_sink::top_level_fields(json);
    if (fields) {
      for (const auto& field : *fields) {
        if (field.kind == rdconnect::postgres_sink::JsonKind::kString) {
          rdconnect::postgres_sink::text_rejection(field.text);
        }
      }
    }
  }
  return 0;
}
