// The names of the properties librdkafka knows, for suggestions.
#pragma once

#include <span>
#include <string>

namespace rdconnect::kafka {

/// Every global and topic property name of the librdkafka in use, in its
/// CONFIGURATION.md order, read once from rd_kafka_conf_properties_show().
/// Thread-safe.
std::span<const std::string> property_names();

}  // namespace rdconnect::kafka
