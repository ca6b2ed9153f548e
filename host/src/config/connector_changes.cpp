#include "config/connector_changes.hpp"

#include <set>

namespace rdconnect::config {
namespace {

// Collects the names of the fields that differ.
class Changes {
 public:
  template <typename T>
  Changes& field(const char* name, const T& before, const T& after) {
    if (!(before == after)) keys_.emplace_back(name);
    return *this;
  }

  Changes& topic_creation(const std::optional<TopicCreation>& before,
                          const std::optional<TopicCreation>& after) {
    if (before.has_value() != after.has_value()) {
      keys_.emplace_back("topic_creation");
    } else if (before) {
      field("topic_creation.partitions", before->partitions, after->partitions);
      field("topic_creation.replication_factor", before->replication_factor,
            after->replication_factor);
      add(changed_properties(before->configs, after->configs,
                             "topic_creation.configs."));
    }
    return *this;
  }

  Changes& errors(const ErrorPolicy& before, const ErrorPolicy& after) {
    return field("errors.tolerance", before.tolerance, after.tolerance)
        .field("errors.retry_timeout_ms", before.retry_timeout_ms,
               after.retry_timeout_ms)
        .field("errors.retry_max_delay_ms", before.retry_max_delay_ms,
               after.retry_max_delay_ms)
        .field("errors.dlq_topic", before.dlq_topic, after.dlq_topic)
        .field("errors.dlq_context_headers", before.dlq_context_headers,
               after.dlq_context_headers)
        .field("errors.dlq_partitions", before.dlq_partitions,
               after.dlq_partitions)
        .field("errors.dlq_replication_factor", before.dlq_replication_factor,
               after.dlq_replication_factor);
  }

  Changes& restart(const RestartPolicy& before, const RestartPolicy& after) {
    return field("restart.enabled", before.enabled, after.enabled)
        .field("restart.max_restarts", before.max_restarts, after.max_restarts)
        .field("restart.initial_delay_ms", before.initial_delay_ms,
               after.initial_delay_ms)
        .field("restart.max_delay_ms", before.max_delay_ms, after.max_delay_ms);
  }

  // The plugin's own settings, compared as TOML values (toml++ compares
  // values, not where they were written).
  Changes& settings(const PluginSettings& before, const PluginSettings& after) {
    field("plugin", before.plugin, after.plugin);
    std::set<std::string> keys;
    for (const auto& [key, value] : before.table) keys.emplace(key.str());
    for (const auto& [key, value] : after.table) keys.emplace(key.str());
    for (const std::string& key : keys) {
      const toml::node* old_value = before.table.get(key);
      const toml::node* new_value = after.table.get(key);
      if (old_value == nullptr || new_value == nullptr ||
          toml::node_view(old_value) != toml::node_view(new_value)) {
        keys_.push_back("config." + key);
      }
    }
    return *this;
  }

  // What sources and sinks share, after each kind's own keys.
  template <typename Connector>
  std::vector<std::string> connector(const Connector& before,
                                     const Connector& after) && {
    topic_creation(before.topic_creation, after.topic_creation)
        .field("call_timeout_ms", before.call_timeout_ms, after.call_timeout_ms)
        .errors(before.errors, after.errors)
        .restart(before.restart, after.restart)
        .add(changed_properties(before.kafka, after.kafka, "kafka."));
    settings(before.settings, after.settings);
    return std::move(keys_);
  }

  Changes& add(const std::vector<std::string>& keys) {
    keys_.insert(keys_.end(), keys.begin(), keys.end());
    return *this;
  }

  std::vector<std::string> keys() && { return std::move(keys_); }

 private:
  std::vector<std::string> keys_;
};

}  // namespace

std::vector<std::string> changed_properties(
    const std::map<std::string, std::string>& before,
    const std::map<std::string, std::string>& after,
    const std::string& prefix) {
  std::set<std::string> keys;
  for (const auto& [key, value] : before) {
    const auto found = after.find(key);
    if (found == after.end() || found->second != value) keys.insert(key);
  }
  for (const auto& [key, value] : after) {
    if (!before.contains(key)) keys.insert(key);
  }
  std::vector<std::string> named;
  for (const std::string& key : keys) named.push_back(prefix + key);
  return named;
}

std::vector<std::string> changed_keys(const SourceConfig& before,
                                      const SourceConfig& after) {
  Changes changes;
  changes.field("topic", before.topic, after.topic)
      .field("partitioner", before.partitioner, after.partitioner)
      .field("value_format", before.value_encoding, after.value_encoding)
      .field("schema_registry", before.schema_registry, after.schema_registry);
  return std::move(changes).connector(before, after);
}

std::vector<std::string> changed_keys(const SinkConfig& before,
                                      const SinkConfig& after) {
  Changes changes;
  changes.field("topics", before.topics, after.topics)
      .field("group_id", before.group_id, after.group_id)
      .field("tasks", before.tasks, after.tasks)
      .field("flush_interval_ms", before.flush_interval_ms,
             after.flush_interval_ms)
      .field("max_batch_records", before.max_batch_records,
             after.max_batch_records)
      .field("max_record_bytes", before.max_record_bytes,
             after.max_record_bytes)
      .field("key_format", record_format_name(before.key_format),
             record_format_name(after.key_format))
      .field("value_format", record_format_name(before.value_format),
             record_format_name(after.value_format))
      .field("schema_registry", before.schema_registry, after.schema_registry);
  return std::move(changes).connector(before, after);
}

std::vector<std::string> changed_keys(const HostSettings& before,
                                      const HostSettings& after) {
  const auto listen = [](const HostSettings& host) {
    return host.http_listen ? host.http_listen->to_string() : std::string();
  };
  Changes changes;
  changes
      .field("status_interval_ms", before.status_interval_ms,
             after.status_interval_ms)
      .field("shutdown_timeout_ms", before.shutdown_timeout_ms,
             after.shutdown_timeout_ms)
      .field("http_listen", listen(before), listen(after))
      .field("http_token", before.http_token, after.http_token);
  return std::move(changes).keys();
}

}  // namespace rdconnect::config
