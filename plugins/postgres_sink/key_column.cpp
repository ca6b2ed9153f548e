#include "key_column.hpp"

#include <stdexcept>
#include <utility>
#include <vector>

#include "kafka_columns.hpp"
#include "record_checks.hpp"
#include "target_table.hpp"

namespace rdconnect::postgres_sink {

KeyColumn::KeyColumn(TableName target, std::string name, WriteMode mode,
                     std::optional<KeyType> declared)
    : target_(std::move(target)),
      name_(std::move(name)),
      mode_(mode),
      declared_(declared) {}

void KeyColumn::discover(pqxx::transaction_base& tx) {
  const std::optional<std::string> type = column_type(tx, target_, name_);
  if (!type) {
    throw std::runtime_error("postgres_sink: table " + target_.quoted() +
                             " has no key column " + quote_identifier(name_) +
                             "; set key_column to the name of its key column");
  }
  const KeyType found = key_type_of_column(*type);
  // A declared type is a promise about the table (to its readers, say):
  // one that does not hold is the config's or the table's mistake.
  if (declared_ && *declared_ != found) {
    throw std::runtime_error(
        "postgres_sink: key_type is " + std::string(sql_type(*declared_)) +
        ", but key column " + quote_identifier(name_) + " of " +
        target_.quoted() + " is of type " + *type +
        "; set key_type to match it, or to \"infer\"");
  }
  type_ = found;
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
  // Before the table exists, a declared type already binds.
  if (type_.value_or(declared_.value_or(KeyType::kText)) == KeyType::kUuid &&
      !is_uuid(*key)) {
    return "key is not a UUID, but column " + quote_identifier(name_) + " of " +
           target_.quoted() + " is of type uuid";
  }
  return std::nullopt;
}

std::string KeyColumn::definition(std::span<const BufferedRecord> batch) const {
  KeyType type = KeyType::kText;
  if (declared_) {
    type = *declared_;
  } else {
    std::vector<std::optional<std::string>> keys;
    keys.reserve(batch.size());
    for (const BufferedRecord& record : batch) keys.push_back(record.key);
    type = key_type_for(keys);
  }
  return quote_identifier(name_) + " " + std::string(sql_type(type)) +
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
