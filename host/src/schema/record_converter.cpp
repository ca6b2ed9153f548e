#include "schema/record_converter.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <rdconnect/encoding.hpp>

#include "schema/avro_decoder.hpp"
#include "schema/avro_schema.hpp"
#include "schema/wire_format.hpp"

namespace rdconnect::schema {
namespace {

using config::RecordFormat;

std::string_view as_text(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool is_json(std::string_view text) { return nlohmann::json::accept(text); }

// The registry's schemaType a format's records must have been written with.
std::string_view schema_type_of(RecordFormat format) {
  return format == RecordFormat::avro ? "AVRO" : "JSON";
}

// Parsed once per id: a schema that does not parse fails each of its
// records, not the connector (another topic's records may be fine).
ResolvedSchema prepare(RegisteredSchema registered) {
  ResolvedSchema resolved{std::move(registered), nullptr, ""};
  if (resolved.registered.type != "AVRO") return resolved;
  try {
    resolved.avro = std::make_shared<const AvroSchema>(
        AvroSchema::parse(resolved.registered.text));
  } catch (const UnusableSchema& error) {
    resolved.unusable = fmt::format(
        "the registry's Avro schema does not parse: {}", error.what());
  }
  return resolved;
}

ConvertFailure failure(RecordPart part, std::string_view error_class,
                       std::string message) {
  return {error_class,
          fmt::format("{}: {}", record_part_name(part), std::move(message))};
}

}  // namespace

std::string_view record_part_name(RecordPart part) {
  return part == RecordPart::key ? "key" : "value";
}

RecordConverter::RecordConverter(const config::SinkConfig& sink)
    : key_format_(sink.key_format),
      value_format_(sink.value_format),
      cache_(sink.schema_registry
                 ? static_cast<size_t>(sink.schema_registry->cache_capacity)
                 : 0) {
  // The config requires a registry for the formats that use one.
  if (sink.schema_registry) {
    registry_ = std::make_unique<RegistryClient>(*sink.schema_registry);
  }
}

RecordConverter::~RecordConverter() = default;

bool RecordConverter::converts() const {
  return key_format_ != RecordFormat::bytes ||
         value_format_ != RecordFormat::bytes;
}

void RecordConverter::start_batch() { batch_.clear(); }

void RecordConverter::fetch_schema(RecordPart part,
                                   std::span<const std::byte> bytes) {
  if (!config::uses_schema_registry(format_of(part)) ||
      bytes.data() == nullptr) {
    return;
  }
  const auto frame = read_wire_frame(bytes);
  const auto* framed = std::get_if<WireFrame>(&frame);
  if (framed == nullptr || batch_.contains(framed->schema_id)) return;
  batch_.emplace(framed->schema_id, resolve(framed->schema_id));
}

// An unknown id is not cached: a record naming it is most likely corrupt,
// and one that is not gets its schema once the registry has it.
std::shared_ptr<const ResolvedSchema> RecordConverter::resolve(int32_t id) {
  if (const auto* cached = cache_.find(id)) return *cached;
  std::optional<RegisteredSchema> registered = registry_->schema_by_id(id);
  if (!registered) return nullptr;
  auto resolved =
      std::make_shared<const ResolvedSchema>(prepare(std::move(*registered)));
  cache_.put(id, resolved);
  return resolved;
}

ConvertOutcome RecordConverter::convert(
    RecordPart part, std::span<const std::byte> bytes) const {
  const RecordFormat format = format_of(part);
  if (bytes.data() == nullptr) return Unchanged{};
  switch (format) {
    case RecordFormat::bytes:
      return Unchanged{};
    case RecordFormat::string:
      if (is_valid_utf8(as_text(bytes))) return Unchanged{};
      return failure(part, "InvalidUtf8",
                     "not valid UTF-8, as string records must be; read it as "
                     "bytes, or fix the producer's encoding");
    case RecordFormat::json:
      if (is_json(as_text(bytes))) return Unchanged{};
      return failure(part, "InvalidJson",
                     "not one JSON value, as json records must be");
    case RecordFormat::avro:
    case RecordFormat::json_schema:
      return decode_framed(part, format, bytes);
  }
  return Unchanged{};
}

ConvertOutcome RecordConverter::decode_framed(
    RecordPart part, RecordFormat format,
    std::span<const std::byte> bytes) const {
  const auto frame = read_wire_frame(bytes);
  if (const auto* wrong = std::get_if<NotWireFormat>(&frame)) {
    return failure(part, "NotWireFormat", wrong->reason);
  }
  const WireFrame& framed = std::get<WireFrame>(frame);
  const auto found = batch_.find(framed.schema_id);
  if (found == batch_.end() || found->second == nullptr) {
    return failure(
        part, "UnknownSchema",
        fmt::format("schema id {} is not in the schema registry at {}; was "
                    "the record written against another registry, or is it "
                    "corrupt?",
                    framed.schema_id, registry_->url()));
  }
  const ResolvedSchema& schema = *found->second;
  if (schema.registered.type != schema_type_of(format)) {
    return failure(part, "UnusableSchema",
                   fmt::format("schema id {} is a {} schema, but the "
                               "connector's {}_format is {}",
                               framed.schema_id, schema.registered.type,
                               record_part_name(part),
                               config::record_format_name(format)));
  }
  if (!schema.unusable.empty()) {
    return failure(
        part, "UnusableSchema",
        fmt::format("schema id {}: {}", framed.schema_id, schema.unusable));
  }
  if (format == RecordFormat::json_schema) {
    if (!is_json(as_text(framed.payload))) {
      return failure(part, "InvalidJson",
                     fmt::format("the payload after the wire prefix (schema "
                                 "id {}) is not one JSON value",
                                 framed.schema_id));
    }
    return std::string(as_text(framed.payload));
  }
  try {
    return decode_avro(*schema.avro, framed.payload);
  } catch (const AvroDecodeError& error) {
    return failure(part, "AvroDecode",
                   fmt::format("does not decode against schema id {}: {}",
                               framed.schema_id, error.what()));
  }
}

}  // namespace rdconnect::schema
