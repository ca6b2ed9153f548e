// The session's temporary table that a batch is COPYed into before one
// set-based statement moves it into the target (upsert, and insert without
// exactly_once; see WritePath).
#pragma once

#include <span>

#include <pqxx/pqxx>

#include "buffered_record.hpp"

namespace rdconnect::postgres_sink {

/// How statements refer to the staging table.
inline constexpr const char* kStagingTable = "pg_temp.rdconnect_staging";

/// Creates the staging table for the rest of the session, unless it exists:
/// created once per connection rather than per batch, which would write and
/// delete a dozen catalog rows each time. Columns: batch_seq (the record's
/// position in what stage() was given, so the last record per key is the
/// one with the highest batch_seq), kafka_topic, kafka_partition,
/// kafka_offset, kafka_timestamp_ms, key (text, as received) and value
/// (jsonb, parsed once here so that statements can take fields out of it
/// cheaply).
void create_staging_table(pqxx::transaction_base& tx);

/// Empties the staging table, then COPYs `records` into it. Every value must
/// be valid JSON (see jsonb_rejection).
void stage(pqxx::transaction_base& tx, std::span<const BufferedRecord> records);

}  // namespace rdconnect::postgres_sink
