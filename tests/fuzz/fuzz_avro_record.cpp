// Fuzzes the Avro decoder with record payloads from Kafka: the first byte
// picks one of a few schemas that use every type the decoder handles, the
// rest is the datum. Whatever the bytes, it returns valid JSON or throws
// AvroDecodeError, within its limits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "schema/avro_decoder.hpp"
#include "schema/avro_schema.hpp"

namespace {

using rdconnect::schema::AvroSchema;

constexpr std::string_view kSchemas[] = {
    R"({"type":"record","name":"Order","fields":[
      {"name":"id","type":"string"},{"name":"qty","type":"int"},
      {"name":"total","type":"long"},{"name":"price","type":"double"},
      {"name":"ratio","type":"float"},{"name":"paid","type":"boolean"},
      {"name":"raw","type":"bytes"},
      {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}},
      {"name":"status","type":{"type":"enum","name":"S","symbols":["A","B"]}},
      {"name":"note","type":["null","string","long"]},
      {"name":"tags","type":{"type":"array","items":"string"}},
      {"name":"attrs","type":{"type":"map","values":"long"}}]})",
    R"({"type":"record","name":"Logical","fields":[
      {"name":"amount","type":{"type":"bytes","logicalType":"decimal",
                               "precision":40,"scale":5}},
      {"name":"fixed_amount","type":{"type":"fixed","name":"F","size":9,
                               "logicalType":"decimal","precision":20,"scale":2}},
      {"name":"id","type":{"type":"string","logicalType":"uuid"}},
      {"name":"day","type":{"type":"int","logicalType":"date"}},
      {"name":"ms","type":{"type":"int","logicalType":"time-millis"}},
      {"name":"us","type":{"type":"long","logicalType":"time-micros"}},
      {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
      {"name":"at_us","type":{"type":"long","logicalType":"timestamp-micros"}},
      {"name":"local","type":{"type":"long",
                              "logicalType":"local-timestamp-micros"}}]})",
    R"({"type":"record","name":"Node","fields":[
      {"name":"value","type":"int"},
      {"name":"children","type":{"type":"array","items":"Node"}},
      {"name":"next","type":["null","Node"]}]})",
    R"({"type":"array","items":{"type":"map","values":["null","boolean"]}})",
};

const std::vector<AvroSchema>& schemas() {
  static const std::vector<AvroSchema> parsed = [] {
    std::vector<AvroSchema> all;
    for (std::string_view text : kSchemas)
      all.push_back(AvroSchema::parse(text));
    return all;
  }();
  return parsed;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const AvroSchema& schema = schemas()[data[0] % std::size(kSchemas)];
  const std::span<const std::byte> datum(
      reinterpret_cast<const std::byte*>(data + 1), size - 1);
  try {
    const std::string json = rdconnect::schema::decode_avro(schema, datum);
    if (!nlohmann::json::accept(json)) std::abort();
  } catch (const rdconnect::schema::AvroDecodeError&) {
  }
  return 0;
}
