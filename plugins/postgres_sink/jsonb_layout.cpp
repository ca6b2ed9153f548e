#include "jsonb_layout.hpp"

#include <stdexcept>

#include "record_checks.hpp"
#include "staging_table.hpp"
#include "target_table.hpp"

namespace rdconnect::postgres_sink {
namespace {

// Column names of the layout besides the configurable key column.
constexpr const char* kValueColumns[] = {"value", "kafka_topic",
                                         "kafka_partition", "kafka_offset",
                                         "kafka_timestamp"};

std::vector<std::optional<std::string>> keys_of(
    std::span<const BufferedRecord> batch) {
  std::vector<std::optional<std::string>> keys;
  keys.reserve(batch.size());
  for (const BufferedRecord& record : batch) keys.push_back(record.key);
  return keys;
}

}  // namespace

JsonbLayout::JsonbLayout(const PostgresSinkOptions& options)
    : target_(options.target),
      key_column_(options.key_column),
      mode_(options.mode),
      auto_create_(options.auto_create) {
  for (const char* column : kValueColumns) {
    if (key_column_ == column) {
      throw std::invalid_argument(
          "postgres_sink: config key 'key_column' is \"" + key_column_ +
          "\", which layout=jsonb already uses for another column; choose "
          "another name");
    }
  }
}

void JsonbLayout::discover(pqxx::transaction_base& tx) {
  key_type_.reset();
  if (!table_exists(tx, target_)) return;
  const std::optional<std::string> type = column_type(tx, target_, key_column_);
  if (!type) {
    throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                             " has no key column " +
                             quote_identifier(key_column_) +
                             "; set key_column to the name of its key column");
  }
  key_type_ = key_type_of_column(*type);
}

std::optional<std::string> JsonbLayout::rejection(
    const BufferedRecord& record) const {
  if (record.key) {
    if (auto problem = text_rejection(*record.key)) return "key " + *problem;
    if (key_type_ == KeyType::kUuid && !is_uuid(*record.key)) {
      return "key is not a UUID, but column " + quote_identifier(key_column_) +
             " of " + target_.quoted() + " is of type uuid";
    }
  } else if (mode_ == WriteMode::kUpsert) {
    return "key is null; mode=upsert needs a key for every record";
  }
  if (record.value) {
    if (auto problem = jsonb_rejection(*record.value)) {
      return "value is " + *problem;
    }
  }
  return std::nullopt;
}

std::vector<Migration> JsonbLayout::migrations_for(
    std::span<const BufferedRecord> batch) const {
  if (key_type_) return {};
  if (!auto_create_) {
    throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                             " does not exist and auto_create is off; create "
                             "it or set auto_create = true");
  }
  return {create_table(batch)};
}

Migration JsonbLayout::create_table(
    std::span<const BufferedRecord> batch) const {
  const KeyType type = key_type_for(keys_of(batch));
  const std::string key = quote_identifier(key_column_);
  const std::string primary_key =
      mode_ == WriteMode::kUpsert
          ? key
          : "kafka_topic, kafka_partition, kafka_offset";
  return {
      .id = target_.table + ":0001",
      .description = "create " + target_.quoted() + " (layout=jsonb, key " +
                     std::string(sql_type(type)) + ")",
      .sql = "CREATE TABLE " + target_.quoted() + " (" + key + " " +
             std::string(sql_type(type)) +
             (mode_ == WriteMode::kUpsert ? " NOT NULL" : "") +
             ", value jsonb, kafka_topic text NOT NULL,"
             " kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL,"
             " kafka_timestamp timestamptz, PRIMARY KEY (" +
             primary_key + "))"};
}

TargetColumn JsonbLayout::key() const {
  return {
      quote_identifier(key_column_),
      "s.key::" + std::string(sql_type(key_type_.value_or(KeyType::kText)))};
}

std::vector<TargetColumn> JsonbLayout::values() const {
  const std::string expressions[] = {
      "s.value::jsonb", "s.kafka_topic", "s.kafka_partition", "s.kafka_offset",
      "timestamptz 'epoch' + s.kafka_timestamp_ms * interval '1 millisecond'"};
  std::vector<TargetColumn> columns;
  for (size_t i = 0; i < std::size(kValueColumns); ++i) {
    columns.push_back({quote_identifier(kValueColumns[i]), expressions[i]});
  }
  return columns;
}

}  // namespace rdconnect::postgres_sink
