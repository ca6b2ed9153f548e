#include "postgres_sink_options.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace rdconnect::postgres_sink {
namespace {

// PostgreSQL truncates longer identifiers, which would silently point the
// sink at a different table than the one configured.
constexpr size_t kMaxIdentifierBytes = 63;

[[noreturn]] void reject(const char* key, const std::string& value,
                         const std::string& expected) {
  throw std::invalid_argument("postgres_sink: config key '" + std::string(key) +
                              "' is " + value + ", but must be " + expected);
}

std::string identifier(const Config& config, const char* key) {
  std::string name = config.string(key);
  if (name.empty() || name.size() > kMaxIdentifierBytes ||
      name.find('\0') != std::string::npos) {
    reject(key, "\"" + name + "\"",
           "a name of 1 to " + std::to_string(kMaxIdentifierBytes) +
               " bytes without NUL");
  }
  return name;
}

Layout parse_layout(const Config& config) {
  const std::string layout = config.string("layout");
  if (layout == "jsonb") return Layout::kJsonb;
  if (layout == "columns") return Layout::kColumns;
  reject("layout", "\"" + layout + "\"", "\"jsonb\" or \"columns\"");
}

WriteMode parse_mode(const Config& config) {
  const std::string mode = config.string("mode");
  if (mode == "upsert") return WriteMode::kUpsert;
  if (mode == "insert") return WriteMode::kInsert;
  reject("mode", "\"" + mode + "\"", "\"insert\" or \"upsert\"");
}

std::optional<KeyType> parse_key_type(const Config& config) {
  const std::string type = config.string("key_type");
  if (type == "infer") return std::nullopt;
  if (type == "uuid") return KeyType::kUuid;
  if (type == "text") return KeyType::kText;
  reject("key_type", "\"" + type + "\"", "\"infer\", \"uuid\" or \"text\"");
}

int64_t positive(const Config& config, const char* key) {
  const int64_t value = config.integer(key);
  if (value < 1) reject(key, std::to_string(value), "1 or more");
  return value;
}

}  // namespace

PostgresSinkOptions parse_postgres_sink_options(const Config& config) {
  PostgresSinkOptions options{
      .dsn = Dsn(config.string("dsn")),
      .target = {.schema = identifier(config, "schema"),
                 .table = identifier(config, "table")},
      .layout = parse_layout(config),
      .mode = parse_mode(config),
      .key_column = identifier(config, "key_column"),
      .key_type = parse_key_type(config),
      .delete_on_tombstone = config.boolean("delete_on_tombstone"),
      .batch_max_records =
          static_cast<size_t>(positive(config, "batch_max_records")),
      .batch_max_ms =
          std::chrono::milliseconds(positive(config, "batch_max_ms")),
      .auto_create = config.boolean("auto_create"),
      .auto_evolve = config.boolean("auto_evolve"),
      .exactly_once = config.boolean("exactly_once"),
  };
  return options;
}

}  // namespace rdconnect::postgres_sink
