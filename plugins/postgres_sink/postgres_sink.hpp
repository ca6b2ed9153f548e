// postgres_sink: writes records into a PostgreSQL table, exactly once, in
// batches (insert mode: COPY into the table; upsert: COPY into a staging
// table, then one set-based statement).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>
#include <rdconnect/plugin.hpp>

#include "buffered_record.hpp"
#include "connection_failure.hpp"
#include "offset_store.hpp"
#include "postgres_sink_options.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

/// put() checks and copies records into a buffer; flush() writes the buffer
/// and, with exactly_once, each partition's next offset in one transaction;
/// open() returns those offsets of the configured table (0 for a partition
/// without one) so the host resumes right after the last record written. A lost
/// connection makes the call throw RetriableError and keeps the buffer, so a
/// repeated flush() writes it once; the next call reconnects (with backoff).
/// The connection is opened lazily, so a host can start before the database,
/// unless open() creates the target table: it does when auto_create is on
/// and the table's shape does not depend on records (a declared key_type).
class PostgresSink : public Sink {
 public:
  /// Throws std::invalid_argument for an invalid option.
  PostgresSink(const Config& config, Host host);

  void open(std::span<TopicPartition> partitions) override;
  void put(const Records& records) override;
  void flush() override;
  void close(std::span<const TopicPartition> partitions) override;

 private:
  using Clock = std::chrono::steady_clock;

  // Sets each partition's offset to the one stored for the target table.
  void resume(std::span<TopicPartition> partitions);
  pqxx::connection& connection();
  std::unique_ptr<pqxx::connection> connect();
  // How a batch reaches the target: COPYed straight into it, or COPYed
  // into the staging table and moved by one set-based statement.
  enum class WritePath { kCopy, kMerge };

  void write_buffer();
  void skip_written(pqxx::transaction_base& tx);
  WritePath first_path() const;
  void write_isolating(pqxx::work& tx, std::span<const BufferedRecord> records,
                       WritePath path);
  void write_records(pqxx::transaction_base& tx,
                     std::span<const BufferedRecord> records, WritePath path);
  void report_refused(const BufferedRecord& record,
                      const std::exception& error);
  // Applies the migrations the target needs before `batch` can be written.
  void prepare_target(std::span<const BufferedRecord> batch);
  bool flush_due() const;
  void buffer(const Record& record);

  // Runs `work`, turning database failures into RetriableError (dropping a
  // lost connection) or std::runtime_error, with the DSN redacted.
  template <typename Work>
  void guarded(const char* action, Work&& work);

  PostgresSinkOptions options_;
  Host host_;
  std::unique_ptr<RowLayout> layout_;
  OffsetStore offsets_;
  std::unique_ptr<pqxx::connection> connection_;
  ReconnectBackoff reconnect_;
  std::vector<BufferedRecord> buffer_;
  // Next offset per partition of everything put since the last flush,
  // rejected records included: they count as handled.
  std::map<PartitionKey, int64_t> next_offsets_;
  Clock::time_point first_put_at_;
};

}  // namespace rdconnect::postgres_sink
