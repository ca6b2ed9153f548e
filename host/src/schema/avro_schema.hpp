// An Avro schema parsed once (by avro-c) and made ready for decoding data
// written with it.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <avro/schema.h>

#include "schema/avro_node.hpp"

namespace rdconnect::schema {

/// The text is not an Avro schema, or is one this host cannot decode with
/// (see AvroSchema::parse); the message says why.
class UnusableSchema : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A parsed Avro schema: owns avro-c's avro_schema_t, and the tree the
/// decoder walks, which adds what avro-c 1.11 does not read (logical types).
class AvroSchema {
 public:
  /// Throws UnusableSchema with avro_strerror()'s text when `json` is not a
  /// valid Avro schema; also for a fixed of negative size (which avro-c
  /// takes) and a decimal of a precision beyond kMaxDecimalPrecision (1000
  /// digits: its values could not be converted in bounded time). Logical
  /// types that are not valid where they stand (a decimal without a
  /// precision, "date" on a string) are ignored, as Java's Avro does: the
  /// values decode as the underlying type.
  static AvroSchema parse(std::string_view json);

  AvroSchema(AvroSchema&&) noexcept = default;
  AvroSchema& operator=(AvroSchema&&) noexcept = default;
  AvroSchema(const AvroSchema&) = delete;
  AvroSchema& operator=(const AvroSchema&) = delete;
  ~AvroSchema() = default;

  /// avro-c's form, valid while this object lives (it keeps the reference).
  avro_schema_t avro() const { return schema_.get(); }
  /// The decoder's form.
  const AvroTree& tree() const { return tree_; }

 private:
  struct Release {
    void operator()(avro_schema_t schema) const { avro_schema_decref(schema); }
  };
  using Owned = std::unique_ptr<std::remove_pointer_t<avro_schema_t>, Release>;

  AvroSchema(Owned schema, AvroTree tree)
      : schema_(std::move(schema)), tree_(std::move(tree)) {}

  Owned schema_;
  AvroTree tree_;
};

}  // namespace rdconnect::schema
