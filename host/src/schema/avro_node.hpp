// The decoder's view of an Avro schema: avro-c's types, with the logical
// types attached, flattened into one array that named types (and recursive
// schemas) refer into by index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rdconnect::schema {

enum class AvroType : uint8_t {
  null,
  boolean,
  int32,
  int64,
  float32,
  float64,
  bytes,
  string,
  record,
  enumeration,
  array,
  map,
  tagged_union,
  fixed,
};

/// The logical types the decoder renders; any other annotation (and one on
/// a type it does not fit) leaves the underlying type's value.
enum class LogicalType : uint8_t {
  none,
  decimal,                 // bytes or fixed
  uuid,                    // string
  date,                    // int
  time_millis,             // int
  time_micros,             // long
  timestamp_millis,        // long
  timestamp_micros,        // long
  local_timestamp_millis,  // long
  local_timestamp_micros,  // long
};

using NodeIndex = uint32_t;

struct AvroField {
  std::string name;      ///< as in the schema, for error paths
  std::string json_key;  ///< `"name":`, ready to append
  NodeIndex type = 0;
};

struct AvroNode {
  AvroType type = AvroType::null;
  LogicalType logical = LogicalType::none;
  int32_t scale = 0;      ///< of a decimal
  size_t fixed_size = 0;  ///< of a fixed
  /// Whether a value can take no bytes at all (null, a fixed of size 0, a
  /// record of only such fields): a count of these cannot be checked
  /// against the bytes left, only capped.
  bool may_be_empty = false;
  std::vector<AvroField> fields;     ///< of a record, in schema order
  std::vector<std::string> symbols;  ///< of an enum, as JSON strings
  /// An array's items or a map's values (one), or a union's branches.
  std::vector<NodeIndex> children;
};

struct AvroTree {
  std::vector<AvroNode> nodes;
  NodeIndex root = 0;
};

}  // namespace rdconnect::schema
