// GET /connectors/{name}/offsets: Kafka Connect's KIP-875 body, with
// rdconnect's own fields per partition beside Connect's.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/connector_offsets.hpp"

namespace rdconnect::http {

/// A sink: {"group_id", "offsets": [{"partition": {"kafka_topic",
/// "kafka_partition"}, "offset": {"kafka_offset"} or null, "committed",
/// "stored_by_sink", "end", "lag", "lag_seconds", "task"}]}, one entry per
/// partition of its topics. A source: {"offsets": [], "partitions":
/// [{"kafka_topic", "kafka_partition", "end", "delivered"}]}. `offsets`
/// must hold a reading.
nlohmann::json offsets_json(const runtime::ConnectorOffsets& offsets);

}  // namespace rdconnect::http
