#include "kafka_columns.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "identifier.hpp"

namespace rdconnect::postgres_sink {

bool is_kafka_column(std::string_view name) {
  return std::find(kKafkaColumns.begin(), kKafkaColumns.end(), name) !=
         kKafkaColumns.end();
}

std::vector<TargetColumn> kafka_target_columns() {
  const std::array<std::string_view, 4> expressions = {
      "s.kafka_topic", "s.kafka_partition", "s.kafka_offset",
      "timestamptz 'epoch' + s.kafka_timestamp_ms * interval '1 millisecond'"};
  std::vector<TargetColumn> columns;
  for (size_t i = 0; i < kKafkaColumns.size(); ++i) {
    columns.push_back(
        {quote_identifier(kKafkaColumns[i]), std::string(expressions[i])});
  }
  return columns;
}

// ISO 8601 with an explicit zone reads the same whatever the session's
// DateStyle and TimeZone; a year beyond 9999 just has more digits, and one
// beyond PostgreSQL's range is refused by the server as a data error.
std::string kafka_timestamp_text(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02d-%02d %02d:%02d:%02d.%03d+00",
                static_cast<long long>(utc.tm_year) + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms % 1000));
  return text;
}

}  // namespace rdconnect::postgres_sink
