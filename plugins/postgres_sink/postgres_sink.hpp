// postgres_sink: writes records into a PostgreSQL table, exactly once, in
// batches (insert mode: COPY into the table; upsert: COPY into the table
// too while no key of a batch is there yet, else COPY into a staging table,
// then one set-based statement).
#pragma once

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>
#include <rdconnect/plugin.hpp>

#include "buffered_record.hpp"
#include "connection_failure.hpp"
#include "offset_store.hpp"
#include "postgres_sink_options.hpp"
#include "record_batch.hpp"
#include "retry_backoff.hpp"
#include "row_layout.hpp"

namespace rdconnect::postgres_sink {

/// put() checks and copies records into a batch; flush() writes what is
/// buffered and, with exactly_once, each partition's next offset in the same
/// transaction; open() returns those offsets of the configured table (0 for a
/// partition without one) so the host resumes right after the last record
/// written. A lost connection makes the call throw RetriableError and keeps
/// the records, so a repeated flush() writes them once; the next call
/// reconnects (with backoff). The connection is opened lazily, so a host can
/// start before the database, unless open() creates the target table: it
/// does when auto_create is on and the table's shape does not depend on
/// records (a declared key_type).
///
/// Writing behind: a batch that is full (batch_max_records, batch_max_ms)
/// at put() is written by a thread of its own while put() goes on filling
/// the next one, so that PostgreSQL and the task's thread work at the same
/// time rather than in turn. At most one batch is being written; the next
/// full one waits for it. A batch the writer could not write whole (a
/// record PostgreSQL refused, a failure) is written again by the next
/// flush(), on the task's thread, isolating refused records: a refusal is
/// reported to the host only during flush(), where its dead letter is
/// acknowledged before the sink commits past it. Until then put() buffers
/// on, past batch_max_records, for at most the host's flush interval.
class PostgresSink : public Sink {
 public:
  /// Throws std::invalid_argument for an invalid option.
  PostgresSink(const Config& config, Host host);
  /// Waits for the batch being written behind, if any.
  ~PostgresSink() override;

  void open(std::span<TopicPartition> partitions) override;
  void put(const Records& records) override;
  void flush() override;
  void close(std::span<const TopicPartition> partitions) override;

  /// For `rdconnect validate --connect`: see check_database.
  static std::string check_connection(const Config& config,
                                      std::chrono::milliseconds timeout);

 private:
  using Clock = std::chrono::steady_clock;

  // How a batch reaches the target: COPYed straight into it; COPYed
  // straight into it unless a key conflicts, then merged; or COPYed into
  // the staging table and moved by one set-based statement (merged).
  enum class WritePath { kCopy, kCopyOrMerge, kMerge };
  // What the writer thread made of a batch.
  enum class WriteOutcome { kWritten, kRefused };

  // Sets each partition's offset to the one stored for the target table.
  void resume(std::span<TopicPartition> partitions);
  pqxx::connection& connection();
  std::unique_ptr<pqxx::connection> connect();

  void buffer(const Record& record);
  bool flush_due() const;
  void write_behind();
  void settle_written_behind();
  void write_now(RecordBatch& batch);
  // Runs on the writer thread (see write_behind()).
  WriteOutcome write_whole(pqxx::connection& database, RecordBatch& batch,
                           WritePath path, const std::string& merge_sql);
  template <typename Write>
  bool commit_batch(pqxx::connection& database, RecordBatch& batch,
                    Write&& write) const;
  void report_written(const RecordBatch& batch) const;
  void skip_written(pqxx::transaction_base& tx, RecordBatch& batch) const;
  WritePath first_path() const;
  std::string merge_sql() const;
  void write_isolating(pqxx::work& tx, std::span<const BufferedRecord> records,
                       WritePath path, const std::string& merge_sql);
  void write_records(pqxx::dbtransaction& tx,
                     std::span<const BufferedRecord> records, WritePath path,
                     const std::string& merge_sql);
  bool copied_without_conflict(pqxx::dbtransaction& tx,
                               std::span<const BufferedRecord> records);
  void report_refused(const BufferedRecord& record,
                      const std::exception& error);
  // Applies the migrations the target needs before `batch` can be written.
  void prepare_target(std::span<const BufferedRecord> batch);

  // Runs `work`, turning database failures into RetriableError (dropping a
  // lost connection) or std::runtime_error, with the DSN redacted.
  template <typename Work>
  void guarded(const char* action, Work&& work);

  PostgresSinkOptions options_;
  Host host_;
  std::unique_ptr<RowLayout> layout_;
  OffsetStore offsets_;
  std::unique_ptr<pqxx::connection> connection_;
  RetryBackoff reconnect_;
  // When upsert tries a straight COPY again after one met a key already in
  // the table. Touched by the writer thread only while written_behind_ is
  // valid, and by the task's thread only while it is not.
  RetryBackoff copy_retry_;
  // Filled by put().
  RecordBatch collecting_;
  // A batch the writer thread gave back, older than collecting_: the next
  // flush() writes it first.
  std::optional<RecordBatch> given_back_;
  // The batch the writer thread is writing while written_behind_ is
  // valid. Until then neither it nor *connection_ is touched here, and
  // nothing changes the layout's state the writer reads (discover() runs
  // only between batches).
  RecordBatch writing_;
  std::future<WriteOutcome> written_behind_;
};

}  // namespace rdconnect::postgres_sink
