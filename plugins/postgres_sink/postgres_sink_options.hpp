// The validated configuration of a postgres_sink instance.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include <rdconnect/plugin.hpp>

#include "dsn.hpp"
#include "identifier.hpp"
#include "key_type.hpp"

namespace rdconnect::postgres_sink {

enum class Layout { kJsonb, kColumns };
enum class WriteMode { kInsert, kUpsert };

/// See kPostgresSinkConfig in plugin.cpp for what each option means.
struct PostgresSinkOptions {
  Dsn dsn;
  TableName target;
  Layout layout;
  WriteMode mode;
  std::string key_column;
  /// The key column type a created table gets; nullopt for key_type =
  /// "infer" (from the keys of the batch that creates it).
  std::optional<KeyType> key_type;
  bool delete_on_tombstone;
  size_t batch_max_records;
  std::chrono::milliseconds batch_max_ms;
  bool auto_create;
  bool auto_evolve;
  bool exactly_once;
};

/// Reads and checks the options; throws std::invalid_argument naming the key
/// of the first invalid value (never echoing the DSN).
PostgresSinkOptions parse_postgres_sink_options(const Config& config);

}  // namespace rdconnect::postgres_sink
