// layout = jsonb: the whole value in one jsonb column, beside the key and
// the record's Kafka coordinates.
#pragma once

#include <optional>

#include "key_column.hpp"
#include "key_type.hpp"
#include "postgres_sink_options.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

/// Target columns: <key_column> (uuid when every key of the first batch is
/// a UUID, else text), value jsonb, kafka_topic text, kafka_partition
/// integer, kafka_offset bigint, kafka_timestamp timestamptz. The primary
/// key is the key column in upsert mode and (kafka_topic, kafka_partition,
/// kafka_offset) in insert mode, so a replayed record can never be doubled.
class JsonbLayout : public RowLayout {
 public:
  explicit JsonbLayout(const PostgresSinkOptions& options);

  void discover(pqxx::transaction_base& tx) override;
  std::optional<std::string> rejection(const BufferedRecord& record) override;
  std::vector<Migration> migrations_for(
      std::span<const BufferedRecord> batch) const override;
  bool creatable_without_records() const override;
  bool copies_rows() const override;
  void copy_rows(pqxx::transaction_base& tx,
                 std::span<const BufferedRecord> records) const override;
  TargetColumn key() const override;
  std::vector<TargetColumn> values() const override;

  /// The key column's type; nullopt while the table does not exist yet.
  std::optional<KeyType> key_type() const { return key_.type(); }

 private:
  Migration create_table(std::span<const BufferedRecord> batch) const;

  TableName target_;
  KeyColumn key_;
  bool auto_create_;
};

}  // namespace rdconnect::postgres_sink
