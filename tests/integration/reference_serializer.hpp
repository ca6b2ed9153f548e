// Python's confluent-kafka serializers — the reference implementation of
// the schema-registry wire format — run by the tests to write records
// against the real registry from scripts/services.sh.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_paths.hpp"

namespace rdconnect::testing {

class ReferenceSerializer {
 public:
  /// Reads SCHEMA_REGISTRY_URL and RDCONNECT_PYTHON (`scripts/services.sh
  /// env`); throws, failing the test, when either is unset.
  ReferenceSerializer();

  /// Produces `values` to `topic`, keyed "<key_prefix>0", "<key_prefix>1",
  /// ..., serialized as `format` ("avro", "json_schema") with `schema`,
  /// which the serializer registers under the topic's value subject.
  /// Returns the schema id; fails the test when the producer does.
  int32_t produce(const ScratchDirectory& scratch, const std::string& topic,
                  std::string_view format, std::string_view schema,
                  const std::vector<nlohmann::json>& values,
                  std::string_view key_prefix = "k");

  /// The `expected` records of `topic`, read from the beginning and
  /// deserialized as `format` with the writer's schema from the registry:
  /// one object each, {"partition", "offset", "key", "schema_id",
  /// "value"}, in partition and offset order. Fails the test when the
  /// consumer does.
  std::vector<nlohmann::json> consume(const ScratchDirectory& scratch,
                                      const std::string& topic,
                                      std::string_view format, size_t expected);

  const std::string& registry_url() const { return registry_url_; }

  /// A config whose one sink, "decoded", reads `topic` as Avro through the
  /// registry into log_sink's json lines at `log_path`, dead-lettering to
  /// `dlq_topic`; retries of an unreachable registry wait at most 2 s.
  std::string avro_log_sink_config(const std::string& topic,
                                   const std::string& dlq_topic,
                                   const std::filesystem::path& log_path) const;

 private:
  std::string registry_url_;
  std::string python_;
  int runs_ = 0;
};

}  // namespace rdconnect::testing
