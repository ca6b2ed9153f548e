// The columns every layout gives a record's Kafka coordinates.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

/// kafka_topic, kafka_partition, kafka_offset, kafka_timestamp.
inline constexpr std::array<std::string_view, 4> kKafkaColumns = {
    "kafka_topic", "kafka_partition", "kafka_offset", "kafka_timestamp"};

/// Their definitions, for CREATE TABLE.
inline constexpr std::string_view kKafkaColumnDefinitions =
    "kafka_topic text NOT NULL, kafka_partition integer NOT NULL, "
    "kafka_offset bigint NOT NULL, kafka_timestamp timestamptz";

/// The columns that identify a record, the primary key in insert mode, so
/// that a replayed record can never be doubled.
inline constexpr std::string_view kKafkaCoordinates =
    "kafka_topic, kafka_partition, kafka_offset";

bool is_kafka_column(std::string_view name);

/// The columns and how each is computed from the staged record.
std::vector<TargetColumn> kafka_target_columns();

/// The text a timestamptz column reads as `ms` milliseconds since the
/// epoch, e.g. "2023-11-14 22:13:20.000+00": what a row COPYed straight into
/// the target holds in kafka_timestamp.
std::string kafka_timestamp_text(int64_t ms);

}  // namespace rdconnect::postgres_sink
