// A client of a Schema Registry's Confluent-compatible REST API (Confluent
// Schema Registry, Apicurio's /apis/ccompat/v7, Redpanda's): schemas by id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "config/record_format.hpp"

namespace httplib {
class Client;
class Result;
}  // namespace httplib

namespace rdconnect::schema {

/// A schema as the registry holds it. `type` is the registry's schemaType:
/// "AVRO" (also when the registry leaves it out), "PROTOBUF" or "JSON".
struct RegisteredSchema {
  int32_t id = 0;
  std::string type;
  std::string text;
};

/// One connection's worth of state: not thread-safe; each sink task has its
/// own.
class RegistryClient {
 public:
  explicit RegistryClient(const config::SchemaRegistrySettings& settings);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  /// GET /schemas/ids/{id}: the schema, or nullopt when the registry has no
  /// schema of that id. Throws Error::retriable when the registry cannot be
  /// reached, times out or answers 5xx or 429 (it may come back), and
  /// Error::fatal for other answers (a wrong URL, refused credentials):
  /// repeating the request would not help, a fixed config would.
  std::optional<RegisteredSchema> schema_by_id(int32_t id);

  /// POST /subjects/{subject}/versions: registers `schema` (of registry
  /// type `type`, "AVRO" or "JSON") under `subject`, or finds it there
  /// already, and returns its id. Throws as schema_by_id does, and
  /// Error::permanent when the registry refuses the schema (invalid, or
  /// incompatible with the subject's earlier versions): a restart would meet
  /// the same refusal.
  int32_t register_schema(const std::string& subject, std::string_view type,
                          const std::string& schema);
  /// POST /subjects/{subject}: the id of `schema` when it is registered
  /// under `subject`, or nullopt. Throws as schema_by_id does.
  std::optional<int32_t> find_schema(const std::string& subject,
                                     std::string_view type,
                                     const std::string& schema);

  /// The registry's URL, for messages (it holds no credentials).
  const std::string& url() const { return url_; }

 private:
  /// Throws for a request that got no answer, or one of the answers every
  /// request may get (5xx, 429: retriable; 401, 403: fatal).
  void throw_unless_answered(const httplib::Result& result,
                             const std::string& what) const;

  std::string url_;
  std::string path_prefix_;  // the URL's path, e.g. "/apis/ccompat/v7"
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace rdconnect::schema
