#include "staging_table.hpp"

#include <array>
#include <string>
#include <vector>

namespace rdconnect::postgres_sink {
namespace {

const std::vector<std::string> kColumns = {
    "batch_seq",    "kafka_topic",        "kafka_partition",
    "kafka_offset", "kafka_timestamp_ms", "key",
    "value"};

}  // namespace

void create_staging_table(pqxx::transaction_base& tx) {
  tx.exec0(
      "CREATE TEMPORARY TABLE IF NOT EXISTS rdconnect_staging"
      " (batch_seq bigint NOT NULL,"
      " kafka_topic text NOT NULL, kafka_partition integer NOT NULL,"
      " kafka_offset bigint NOT NULL, kafka_timestamp_ms bigint, key text,"
      " value jsonb)");
}

void stage(pqxx::transaction_base& tx,
           std::span<const BufferedRecord> records) {
  // What an earlier batch, or the other half of an isolated one, left.
  tx.exec0("TRUNCATE rdconnect_staging");
  pqxx::stream_to copy(tx, "rdconnect_staging", kColumns);
  for (size_t i = 0; i < records.size(); ++i) {
    const BufferedRecord& record = records[i];
    const std::string seq = std::to_string(i);
    const std::string partition = std::to_string(record.partition);
    const std::string offset = std::to_string(record.offset);
    const std::optional<std::string> timestamp =
        record.timestamp_ms
            ? std::optional(std::to_string(*record.timestamp_ms))
            : std::nullopt;
    // NULL pointers become SQL NULLs; the texts hold no NUL byte (checked
    // in put()), so their c_str() is their whole content.
    const std::array<const char*, 7> row = {seq.c_str(),
                                            record.topic.c_str(),
                                            partition.c_str(),
                                            offset.c_str(),
                                            c_str_or_null(timestamp),
                                            c_str_or_null(record.key),
                                            c_str_or_null(record.value)};
    copy << row;
  }
  copy.complete();
}

}  // namespace rdconnect::postgres_sink
