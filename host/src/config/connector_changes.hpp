// What differs between two versions of a connector's config, by key name:
// what a reload restarts a connector for, and tells the operator. Values
// are never named (a changed secret must not be shown, not even as a
// difference).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/host_config.hpp"

namespace rdconnect::config {

/// The keys that differ ("topic", "errors.dlq_topic", "kafka.acks",
/// "plugin", "config.dsn"), in the order of the config's documentation;
/// empty when the two run the same way. Where a key was written
/// (file:line:col) does not count.
std::vector<std::string> changed_keys(const SourceConfig& before,
                                      const SourceConfig& after);
std::vector<std::string> changed_keys(const SinkConfig& before,
                                      const SinkConfig& after);

/// The [host] keys that differ.
std::vector<std::string> changed_keys(const HostSettings& before,
                                      const HostSettings& after);

/// The librdkafka properties that differ, each as `prefix` + name.
std::vector<std::string> changed_properties(
    const std::map<std::string, std::string>& before,
    const std::map<std::string, std::string>& after, const std::string& prefix);

}  // namespace rdconnect::config
