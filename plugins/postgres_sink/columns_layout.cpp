#include "columns_layout.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "kafka_columns.hpp"
#include "record_checks.hpp"
#include "target_table.hpp"

namespace rdconnect::postgres_sink {
namespace {

// PostgreSQL truncates longer identifiers, so two long field names could
// silently become one column.
constexpr size_t kMaxIdentifierBytes = 63;

// A long field name shown in a message is cut here, at a character
// boundary (field names are valid UTF-8: the JSON parser checked).
constexpr size_t kMaxShownNameBytes = 80;

std::string shown_name(std::string_view name) {
  if (name.size() <= kMaxShownNameBytes) return quote_identifier(name);
  size_t cut = kMaxShownNameBytes;
  while ((static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  std::string shown = quote_identifier(name.substr(0, cut));
  shown.insert(shown.size() - 1, "...");
  return shown;
}

// How a column is computed from the staged value (jsonb): ->> gives SQL
// NULL for a JSON null or a missing field, and the text the cast reads;
// -> keeps JSON, where a JSON null must still become SQL NULL.
std::string expression(const std::string& field, ColumnType type) {
  const std::string literal = quote_literal(field);
  switch (type) {
    case ColumnType::kText:
      return "s.value ->> " + literal;
    case ColumnType::kJsonb:
      return "nullif(s.value -> " + literal + ", 'null'::jsonb)";
    default:
      return "(s.value ->> " + literal + ")::" + std::string(sql_name(type));
  }
}

}  // namespace

ColumnsLayout::ColumnsLayout(const PostgresSinkOptions& options)
    : target_(options.target),
      key_(options.target, options.key_column, options.mode, options.key_type),
      auto_create_(options.auto_create),
      auto_evolve_(options.auto_evolve) {
  if (is_kafka_column(options.key_column)) {
    throw std::invalid_argument(
        "postgres_sink: config key 'key_column' is \"" + options.key_column +
        "\", which layout=columns already uses for another column; choose "
        "another name");
  }
}

void ColumnsLayout::discover(pqxx::transaction_base& tx) {
  key_.forget();
  columns_.clear();
  last_migration_ = last_migration_number(tx, target_.schema, target_.table);
  if (!table_exists(tx, target_)) return;
  key_.discover(tx);
  for (ColumnInfo& column : table_columns(tx, target_)) {
    if (column.name == key_.name() || is_kafka_column(column.name)) continue;
    const std::optional<ColumnType> type = column_type_named(column.type);
    columns_.insert({column.name, {column.name, std::move(column.type), type}});
  }
  reconcile_pending();
}

void ColumnsLayout::reconcile_pending() {
  std::erase_if(pending_order_, [&](const std::string& name) {
    const auto existing = columns_.find(name);
    if (existing == columns_.end()) return false;
    const FieldColumn& wanted = pending_.at(name);
    if (existing->second.type != wanted.type && !conflict_) {
      conflict_ = "postgres_sink: column " + quote_identifier(name) + " of " +
                  target_.quoted() + " appeared as " +
                  existing->second.sql_type +
                  " (added by another writer?) "
                  "while records needing " +
                  wanted.sql_type +
                  " were waiting to be written; restart the connector so "
                  "that they are checked against the table as it is now";
    }
    pending_.erase(name);
    return true;
  });
}

std::optional<std::string> ColumnsLayout::rejection(
    const BufferedRecord& record) {
  if (auto problem = key_.rejection(record.key)) return problem;
  if (!record.value) return std::nullopt;
  if (auto problem = jsonb_rejection(*record.value)) {
    return "value is " + *problem;
  }
  const std::optional<std::vector<JsonField>> fields =
      top_level_fields(*record.value);
  if (!fields) {
    return "value is not a JSON object, which layout=columns needs";
  }
  std::vector<FieldColumn> wanted;
  for (const JsonField& field : *fields) {
    if (auto problem = field_rejection(field, wanted)) return problem;
  }
  for (FieldColumn& column : wanted) {
    pending_order_.push_back(column.name);
    pending_.insert({column.name, std::move(column)});
  }
  return std::nullopt;
}

std::optional<std::string> ColumnsLayout::field_rejection(
    const JsonField& field, std::vector<FieldColumn>& wanted) const {
  if (auto problem = name_rejection(field.name)) return problem;
  if (field.kind == JsonKind::kNull) return std::nullopt;
  const std::string name = quote_identifier(field.name);
  const FieldColumn* column = column_for(field.name, wanted);
  if (column == nullptr) {
    if (key_.type() && !auto_evolve_) {
      return "field " + name + " has no column in " + target_.quoted() +
             " and auto_evolve is off; add the column or set auto_evolve = "
             "true";
    }
    const ColumnType type = inferred_column_type(field).value();
    wanted.push_back({field.name, std::string(sql_name(type)), type});
    column = &wanted.back();
  }
  if (!column->type) {
    return "field " + name + " goes to column " + name + " of type " +
           column->sql_type +
           ", which layout=columns does not write; change the column to "
           "text, uuid, bigint, double precision, boolean, jsonb or "
           "timestamptz";
  }
  if (!fits(field, *column->type)) {
    return "field " + name + " holds " + std::string(describe(field)) +
           ", which does not fit column " + name + " of type " +
           column->sql_type;
  }
  return std::nullopt;
}

std::optional<std::string> ColumnsLayout::name_rejection(
    std::string_view name) const {
  if (name.empty()) {
    return "a field has an empty name, which cannot be a column name";
  }
  if (name.size() > kMaxIdentifierBytes) {
    return "field " + shown_name(name) + " has a name of " +
           std::to_string(name.size()) +
           " bytes, longer than PostgreSQL's limit of 63 bytes for a column "
           "name";
  }
  if (name == key_.name() || is_kafka_column(name)) {
    return "field " + quote_identifier(name) +
           " has the name of one of the sink's own columns (" +
           quote_identifier(key_.name()) +
           ", kafka_topic, kafka_partition, kafka_offset, kafka_timestamp); "
           "rename the field, or the key column with key_column";
  }
  return std::nullopt;
}

const ColumnsLayout::FieldColumn* ColumnsLayout::column_for(
    std::string_view name, std::span<const FieldColumn> wanted) const {
  if (auto existing = columns_.find(name); existing != columns_.end()) {
    return &existing->second;
  }
  if (auto pending = pending_.find(name); pending != pending_.end()) {
    return &pending->second;
  }
  const auto found = std::find_if(
      wanted.begin(), wanted.end(),
      [&](const FieldColumn& column) { return column.name == name; });
  return found == wanted.end() ? nullptr : &*found;
}

std::vector<Migration> ColumnsLayout::migrations_for(
    std::span<const BufferedRecord> batch) const {
  if (conflict_) throw std::runtime_error(*conflict_);
  if (!key_.type()) {
    if (!auto_create_) {
      throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                               " does not exist and auto_create is off; "
                               "create it or set auto_create = true");
    }
    return {create_table(batch)};
  }
  if (pending_order_.empty()) return {};
  return {add_pending_columns()};
}

std::string ColumnsLayout::column_definitions(
    std::span<const FieldColumn> columns) const {
  std::string definitions;
  for (const FieldColumn& column : columns) {
    if (!definitions.empty()) definitions += ", ";
    definitions += quote_identifier(column.name) + " " + column.sql_type;
  }
  return definitions;
}

Migration ColumnsLayout::create_table(
    std::span<const BufferedRecord> batch) const {
  std::vector<FieldColumn> fields;
  for (const std::string& name : pending_order_) {
    fields.push_back(pending_.at(name));
  }
  const std::string key = key_.definition(batch);
  std::string columns = key + ", " + std::string(kKafkaColumnDefinitions);
  if (!fields.empty()) columns += ", " + column_definitions(fields);
  return {.id = migration_id(target_.table, last_migration_ + 1),
          .description = "create " + target_.quoted() +
                         " (layout=columns, key " + key + ", " +
                         std::to_string(fields.size()) + " field column(s))",
          .sql = "CREATE TABLE " + target_.quoted() + " (" + columns +
                 ", PRIMARY KEY (" + key_.primary_key() + "))"};
}

Migration ColumnsLayout::add_pending_columns() const {
  std::vector<FieldColumn> fields;
  std::string additions;
  for (const std::string& name : pending_order_) {
    fields.push_back(pending_.at(name));
    if (!additions.empty()) additions += ", ";
    // IF NOT EXISTS: a column added by hand since discover() is kept.
    additions += "ADD COLUMN IF NOT EXISTS " + quote_identifier(name) + " " +
                 fields.back().sql_type;
  }
  return {.id = migration_id(target_.table, last_migration_ + 1),
          .description =
              "add " + column_definitions(fields) + " to " + target_.quoted(),
          .sql = "ALTER TABLE " + target_.quoted() + " " + additions};
}

bool ColumnsLayout::creatable_without_records() const {
  return key_.declared() && auto_evolve_;
}

// Computing a field's column from the JSON value is left to the server
// (staged jsonb, ->> and casts), which also decides what fits.
bool ColumnsLayout::copies_rows() const { return false; }

void ColumnsLayout::copy_rows(pqxx::transaction_base&,
                              std::span<const BufferedRecord>) const {
  throw std::logic_error("postgres_sink: layout=columns does not copy rows");
}

TargetColumn ColumnsLayout::key() const { return key_.target_column(); }

std::vector<TargetColumn> ColumnsLayout::values() const {
  std::vector<TargetColumn> columns = kafka_target_columns();
  for (const auto& [name, column] : columns_) {
    if (column.type) {
      columns.push_back(
          {quote_identifier(name), expression(name, *column.type)});
    }
  }
  return columns;
}

}  // namespace rdconnect::postgres_sink
