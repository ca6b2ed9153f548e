#include "key_column.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include "kafka_columns.hpp"
#include "record_checks.hpp"
#include "target_table.hpp"

namespace rdconnect::postgres_sink {

KeyColumn::KeyColumn(TableName target, std::string name, WriteMode mode)
    : target_(std::move(target)), name_(std::move(name)), mode_(mode) {}

void KeyColumn::discover(pqxx::transaction_base& tx) {
  const std::optional<std::string> type = column_type(tx, target_, name_);
  if (!type) {
    throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                             " has no key column " + quote_identifier(name_) +
                             "; set key_column to the name of its key column");
  }
  type_ = key_type_of_column(*type);
}

std::optional<std::string> KeyColumn::rejection(
    const std::optional<std::string>& key) const {
  if (!key) {
    if (mode_ == WriteMode::kUpsert) {
      return "key is null; mode=upsert needs a key for every record";
    }
    return std::nullopt;
  }
  if (auto problem = text_rejection(*key)) return "key " + *problem;
  if (type_ == KeyType::kUuid && !is_uuid(*key)) {
    return "key is not a UUID, but column " + quote_identifier(name_) + " of " +
           target_.quoted() + " is of type uuid";
  }
  return std::nullopt;
}

std::string KeyColumn::definition(std::span<const BufferedRecord> batch) const {
  std::vector<std::optional<std::string>> keys;
  keys.reserve(batch.size());
  for (const BufferedRecord& record : batch) keys.push_back(record.key);
  return quote_identifier(name_) + " " +
         std::string(sql_type(key_type_for(keys))) +
         (mode_ == WriteMode::kUpsert ? " NOT NULL" : "");
}

std::string KeyColumn::primary_key() const {
  return mode_ == WriteMode::kUpsert ? quote_identifier(name_)
                                     : std::string(kKafkaCoordinates);
}

TargetColumn KeyColumn::target_column() const {
  return {quote_identifier(name_),
          "s.key::" + std::string(sql_type(type_.value_or(KeyType::kText)))};
}

}  // namespace rdconnect::postgres_sink
