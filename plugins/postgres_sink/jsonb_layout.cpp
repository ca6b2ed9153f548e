#include "jsonb_layout.hpp"

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "kafka_columns.hpp"
#include "record_checks.hpp"
#include "target_table.hpp"

namespace rdconnect::postgres_sink {
namespace {

constexpr const char* kValueColumn = "value";

}  // namespace

JsonbLayout::JsonbLayout(const PostgresSinkOptions& options)
    : target_(options.target),
      key_(options.target, options.key_column, options.mode, options.key_type),
      auto_create_(options.auto_create) {
  if (options.key_column == kValueColumn ||
      is_kafka_column(options.key_column)) {
    throw std::invalid_argument(
        "postgres_sink: config key 'key_column' is \"" + options.key_column +
        "\", which layout=jsonb already uses for another column; choose "
        "another name");
  }
}

void JsonbLayout::discover(pqxx::transaction_base& tx) {
  key_.forget();
  if (table_exists(tx, target_)) key_.discover(tx);
}

std::optional<std::string> JsonbLayout::rejection(
    const BufferedRecord& record) {
  if (auto problem = key_.rejection(record.key)) return problem;
  if (record.value) {
    if (auto problem = jsonb_rejection(*record.value)) {
      return "value is " + *problem;
    }
  }
  return std::nullopt;
}

std::vector<Migration> JsonbLayout::migrations_for(
    std::span<const BufferedRecord> batch) const {
  if (key_.type()) return {};
  if (!auto_create_) {
    throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                             " does not exist and auto_create is off; create "
                             "it or set auto_create = true");
  }
  return {create_table(batch)};
}

Migration JsonbLayout::create_table(
    std::span<const BufferedRecord> batch) const {
  const std::string key = key_.definition(batch);
  return {.id = migration_id(target_.table, 1),
          .description =
              "create " + target_.quoted() + " (layout=jsonb, key " + key + ")",
          .sql = "CREATE TABLE " + target_.quoted() + " (" + key + ", " +
                 kValueColumn + " jsonb, " +
                 std::string(kKafkaColumnDefinitions) + ", PRIMARY KEY (" +
                 key_.primary_key() + "))"};
}

bool JsonbLayout::creatable_without_records() const { return key_.declared(); }

bool JsonbLayout::copies_rows() const { return true; }

// The value goes as the text received (already checked to be JSON the
// server parses), the key as text the key column's type reads (checked to
// be a UUID for a uuid column): the same rows the staged path computes.
void JsonbLayout::copy_rows(pqxx::transaction_base& tx,
                            std::span<const BufferedRecord> records) const {
  std::vector<std::string> columns = {quote_identifier(key_.name()),
                                      quote_identifier(kValueColumn)};
  for (std::string_view column : kKafkaColumns) {
    columns.push_back(quote_identifier(column));
  }
  pqxx::stream_to copy(tx, target_.quoted(), columns);
  for (const BufferedRecord& record : records) {
    const std::string partition = std::to_string(record.partition);
    const std::string offset = std::to_string(record.offset);
    const std::optional<std::string> timestamp =
        record.timestamp_ms
            ? std::optional(kafka_timestamp_text(*record.timestamp_ms))
            : std::nullopt;
    const std::array<const char*, 6> row = {c_str_or_null(record.key),
                                            c_str_or_null(record.value),
                                            record.topic.c_str(),
                                            partition.c_str(),
                                            offset.c_str(),
                                            c_str_or_null(timestamp)};
    copy << row;
  }
  copy.complete();
}

TargetColumn JsonbLayout::key() const { return key_.target_column(); }

std::vector<TargetColumn> JsonbLayout::values() const {
  std::vector<TargetColumn> columns = {
      {quote_identifier(kValueColumn), "s.value"}};
  for (TargetColumn& column : kafka_target_columns()) {
    columns.push_back(std::move(column));
  }
  return columns;
}

}  // namespace rdconnect::postgres_sink
