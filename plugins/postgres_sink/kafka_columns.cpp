#include "kafka_columns.hpp"

#include <algorithm>

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

}  // namespace rdconnect::postgres_sink
