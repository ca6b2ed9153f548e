// Reading an Avro schema's "logicalType" annotation, which avro-c 1.11's
// parser drops, from the schema's JSON.
#pragma once

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "schema/avro_node.hpp"

namespace rdconnect::schema {

/// Decimals of more digits than this make the schema unusable: converting
/// the unscaled integer to base 10 takes time quadratic in its length, and
/// the scale (at most the precision) is the zeros a value may need.
constexpr int64_t kMaxDecimalPrecision = 1000;

struct LogicalAnnotation {
  LogicalType type = LogicalType::none;
  int32_t scale = 0;  ///< of a decimal
};

/// The logical type `schema` (one node of the schema's JSON) declares for a
/// value of `underlying` type (and `fixed_size`, for a fixed). None for no
/// annotation, an unknown one, or one not valid there by Java's rules (a
/// decimal needs a precision of 1 or more, 0 <= scale <= precision, and,
/// on a fixed, no more digits than its bytes hold). Throws UnusableSchema
/// for a precision above kMaxDecimalPrecision.
LogicalAnnotation read_logical_type(const nlohmann::json& schema,
                                    AvroType underlying, size_t fixed_size);

}  // namespace rdconnect::schema
