// The "convert" stage of a sink: a record's key and value read by their
// configured format, schema-registry formats decoded to JSON, before the
// plugin sees them.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>

#include "config/host_config.hpp"
#include "schema/lru_cache.hpp"
#include "schema/registry_client.hpp"

namespace rdconnect::schema {

class AvroSchema;

enum class RecordPart { key, value };
std::string_view record_part_name(RecordPart part);

/// The part is handed on as it came (bytes, or a format that only checks).
struct Unchanged {};
/// The part does not read as its format: a per-record error.
struct ConvertFailure {
  std::string_view error_class;  ///< "NotWireFormat", "UnknownSchema", ...
  std::string message;
};
/// Unchanged, the JSON text the part decodes to, or why it does not.
using ConvertOutcome = std::variant<Unchanged, std::string, ConvertFailure>;

/// A registry schema made ready to decode with: parsed once, cached by id.
struct ResolvedSchema {
  RegisteredSchema registered;
  std::shared_ptr<const AvroSchema> avro;  ///< for "AVRO" schemas
  /// Why records of this schema cannot be read; empty when they can.
  std::string unusable;
};

/// One per sink task; not thread-safe.
class RecordConverter {
 public:
  explicit RecordConverter(const config::SinkConfig& sink);
  ~RecordConverter();
  RecordConverter(const RecordConverter&) = delete;
  RecordConverter& operator=(const RecordConverter&) = delete;

  /// False when both formats are bytes: nothing to do.
  bool converts() const;
  /// Forgets the schemas the last batch held (the cache keeps them).
  void start_batch();
  /// Makes the schema `bytes` refer to ready for convert(), from the cache
  /// or the registry; nothing for other formats or bytes that are not in
  /// the wire format. Throws Error::retriable while the registry cannot be
  /// reached: call again, what was fetched stays at hand.
  void fetch_schema(RecordPart part, std::span<const std::byte> bytes);
  /// What the plugin gets for a part of the batch; `bytes` with a null
  /// data() is a null key or value, always passed on unchanged.
  ConvertOutcome convert(RecordPart part,
                         std::span<const std::byte> bytes) const;

 private:
  config::RecordFormat format_of(RecordPart part) const {
    return part == RecordPart::key ? key_format_ : value_format_;
  }
  ConvertOutcome decode_framed(RecordPart part, config::RecordFormat format,
                               std::span<const std::byte> bytes) const;
  std::shared_ptr<const ResolvedSchema> resolve(int32_t id);

  config::RecordFormat key_format_;
  config::RecordFormat value_format_;
  std::unique_ptr<RegistryClient> registry_;
  LruCache<int32_t, std::shared_ptr<const ResolvedSchema>> cache_;
  // The schemas of the current batch (null: the registry has no such id),
  // so that a cache smaller than a batch's variety cannot drop one between
  // fetch_schema() and convert().
  std::unordered_map<int32_t, std::shared_ptr<const ResolvedSchema>> batch_;
};

}  // namespace rdconnect::schema
