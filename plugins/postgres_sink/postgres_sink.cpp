#include "postgres_sink.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "columns_layout.hpp"
#include "connection_check.hpp"
#include "jsonb_layout.hpp"
#include "merge_statement.hpp"
#include "migrations.hpp"
#include "staging_table.hpp"

namespace rdconnect::postgres_sink {
namespace {

// Each round applies the migrations the layout asks for and reads the
// table again. A migration another host recorded first under the same
// number is skipped, and the next round numbers what is still missing anew.
constexpr int kMigrationRounds = 5;

constexpr const char* kUniqueViolation = "23505";

std::unique_ptr<RowLayout> make_layout(const PostgresSinkOptions& options) {
  if (options.layout == Layout::kColumns) {
    return std::make_unique<ColumnsLayout>(options);
  }
  return std::make_unique<JsonbLayout>(options);
}

// "users[3]@42".
std::string coordinates(std::string_view topic, int32_t partition,
                        int64_t offset) {
  return std::string(topic) + "[" + std::to_string(partition) + "]@" +
         std::to_string(offset);
}

BufferedRecord copy_of(const Record& record) {
  BufferedRecord copy;
  copy.topic = record.topic();
  copy.partition = record.partition();
  copy.offset = record.offset();
  if (record.timestamp_ms() >= 0) copy.timestamp_ms = record.timestamp_ms();
  if (!record.key().null()) copy.key = record.key().view();
  if (!record.value().null()) copy.value = record.value().view();
  for (const rdc_header& header : record.headers()) {
    std::optional<std::string> value;
    if (header.value.data != nullptr) {
      value.emplace(static_cast<const char*>(header.value.data),
                    header.value.len);
    }
    copy.headers.push_back({header.name, std::move(value)});
  }
  return copy;
}

}  // namespace

PostgresSink::PostgresSink(const Config& config, Host host)
    : options_(parse_postgres_sink_options(config)),
      host_(host),
      layout_(make_layout(options_)),
      offsets_(options_.target, std::string(host.connector_name())) {}

std::string PostgresSink::check_connection(const Config& config,
                                           std::chrono::milliseconds timeout) {
  return check_database(parse_postgres_sink_options(config), timeout);
}

void PostgresSink::open(std::span<TopicPartition> partitions) {
  if (options_.exactly_once) resume(partitions);
  // After resume(): offsets stored before they were kept per table are
  // adopted only by a table that already existed.
  if (options_.auto_create && layout_->creatable_without_records()) {
    guarded("creating the target table", [&] {
      connection();
      prepare_target({});
    });
  }
}

void PostgresSink::resume(std::span<TopicPartition> partitions) {
  guarded("reading stored offsets", [&] {
    std::vector<PartitionKey> keys;
    for (const TopicPartition& partition : partitions) {
      keys.emplace_back(partition.topic, partition.partition);
    }
    pqxx::work tx(connection());
    if (const size_t adopted = offsets_.adopt_untargeted(tx); adopted > 0) {
      host_.info("adopted " + std::to_string(adopted) +
                 " offset row(s) stored before offsets were kept per table "
                 "for " +
                 options_.target.quoted());
    }
    const std::map<PartitionKey, int64_t> stored = offsets_.read(tx, keys);
    tx.commit();
    for (TopicPartition& partition : partitions) {
      auto found = stored.find({partition.topic, partition.partition});
      // The stored offsets are what the table holds: none means nothing of
      // the partition is in it yet, whatever the consumer group committed
      // (for another table, say), so it is written from the first record.
      if (found == stored.end()) {
        partition.offset = 0;
        continue;
      }
      partition.offset = found->second;
      host_.info(
          "resuming " +
          coordinates(partition.topic, partition.partition, found->second) +
          " from the offsets stored in " + offsets_.table().quoted());
    }
  });
}

PostgresSink::~PostgresSink() {
  if (written_behind_.valid()) written_behind_.wait();
}

void PostgresSink::put(const Records& records) {
  // Handing the batch off before anything of this call is buffered keeps
  // put() repeatable when that fails.
  if (flush_due()) write_behind();
  // Connecting tells the layout the target's current shape (its key type).
  guarded("connecting", [&] { connection(); });
  if (collecting_.empty()) collecting_.started = Clock::now();
  for (const Record& record : records) buffer(record);
}

void PostgresSink::buffer(const Record& record) {
  BufferedRecord copy = copy_of(record);
  collecting_.next_offsets[{copy.topic, copy.partition}] = copy.offset + 1;
  if (std::optional<std::string> problem = layout_->rejection(copy)) {
    host_.record_failed(
        record, "record " +
                    coordinates(copy.topic, copy.partition, copy.offset) +
                    " cannot be written to " + options_.target.quoted() + ": " +
                    *problem);
    return;
  }
  collecting_.records.push_back(std::move(copy));
}

bool PostgresSink::flush_due() const {
  if (collecting_.records.empty()) return false;
  return collecting_.records.size() >= options_.batch_max_records ||
         Clock::now() - collecting_.started >= options_.batch_max_ms;
}

// Hands the collecting batch to a thread of its own, once the one before
// it is written. The target's migrations run here first, on the task's
// thread: they change the layout, which put() reads. A thread per batch
// (std::async) costs tens of microseconds against the batch's milliseconds.
void PostgresSink::write_behind() {
  settle_written_behind();
  if (given_back_) return;
  guarded("preparing the target", [&] {
    connection();
    prepare_target(collecting_.records);
  });
  writing_ = std::move(collecting_);
  collecting_ = {};
  written_behind_ = std::async(std::launch::async, &PostgresSink::write_whole,
                               this, std::ref(*connection_), std::ref(writing_),
                               first_path(), merge_sql());
}

// Waits for the batch being written behind. One it could not write whole
// is kept for the next flush(), which reports what PostgreSQL refused.
void PostgresSink::settle_written_behind() {
  if (!written_behind_.valid()) return;
  WriteOutcome outcome = WriteOutcome::kRefused;
  try {
    guarded("writing a batch", [&] { outcome = written_behind_.get(); });
  } catch (const std::exception& error) {
    host_.warn(std::string(error.what()) +
               "; the batch is written again at the next flush");
  }
  if (outcome == WriteOutcome::kWritten) {
    report_written(writing_);
  } else {
    given_back_ = std::move(writing_);
  }
  writing_ = {};
}

void PostgresSink::flush() {
  settle_written_behind();
  guarded("writing a batch", [&] {
    if (given_back_) {
      write_now(*given_back_);
      given_back_.reset();
    }
    if (!collecting_.empty()) {
      write_now(collecting_);
      collecting_ = {};
    }
  });
}

void PostgresSink::close(std::span<const TopicPartition> partitions) {
  settle_written_behind();
  // Records of partitions taken away without a flush (a lost assignment)
  // are the next owner's to write.
  for (const TopicPartition& partition : partitions) {
    const PartitionKey key{partition.topic, partition.partition};
    collecting_.drop(key);
    if (given_back_) given_back_->drop(key);
  }
  if (given_back_ && given_back_->empty()) given_back_.reset();
}

// On the task's thread: records PostgreSQL refuses are isolated and
// reported here.
void PostgresSink::write_now(RecordBatch& batch) {
  pqxx::connection& database = connection();
  if (!batch.records.empty()) prepare_target(batch.records);
  const WritePath path = first_path();
  const std::string merge = merge_sql();
  commit_batch(database, batch, [&](pqxx::work& tx) {
    write_isolating(tx, batch.records, path, merge);
    return true;
  });
  report_written(batch);
}

// On the writer thread, so it reports nothing: a batch PostgreSQL refuses
// a record of is rolled back whole and given back (kRefused), for
// write_now() to isolate the record.
PostgresSink::WriteOutcome PostgresSink::write_whole(
    pqxx::connection& database, RecordBatch& batch, WritePath path,
    const std::string& merge_sql) {
  const bool written = commit_batch(database, batch, [&](pqxx::work& tx) {
    try {
      write_records(tx, batch.records, path, merge_sql);
      return true;
    } catch (const pqxx::sql_error& error) {
      if (refused_for_its_data(error) || error.sqlstate() == kUniqueViolation) {
        return false;
      }
      throw;
    }
  });
  return written ? WriteOutcome::kWritten : WriteOutcome::kRefused;
}

// One transaction: the partitions' offsets locked (dropping what is already
// written), `write` of the records left, the offsets advanced. Commits only
// when `write` returns true; false rolls the whole batch back.
template <typename Write>
bool PostgresSink::commit_batch(pqxx::connection& database, RecordBatch& batch,
                                Write&& write) const {
  pqxx::work tx(database);
  if (options_.exactly_once) skip_written(tx, batch);
  if (!batch.records.empty() && !write(tx)) return false;
  if (options_.exactly_once) offsets_.advance(tx, batch.next_offsets);
  tx.commit();
  return true;
}

void PostgresSink::report_written(const RecordBatch& batch) const {
  host_.debug("wrote " + std::to_string(batch.records.size()) + " records to " +
              options_.target.quoted());
}

// Locking the partitions' offsets first is what keeps a zombie (the
// partitions' previous owner, still flushing after a rebalance) from
// doubling a row: whichever writer locks second waits for the first to
// commit, reads the offsets it advanced, and drops what it has already
// written. Dropped from the batch for good: those records are committed.
void PostgresSink::skip_written(pqxx::transaction_base& tx,
                                RecordBatch& batch) const {
  std::vector<PartitionKey> partitions;
  for (const auto& [partition, next_offset] : batch.next_offsets) {
    partitions.push_back(partition);
  }
  const std::map<PartitionKey, int64_t> written = offsets_.lock(tx, partitions);
  std::erase_if(batch.records, [&](const BufferedRecord& record) {
    return record.offset < written.at({record.topic, record.partition});
  });
}

// Insert mode with exactly_once needs no set-based statement: the locked
// offsets already exclude every record written, so the rows can be COPYed
// straight into the target, written once rather than staged first. Upsert
// can do the same with a batch none of whose keys is in the table yet (or
// twice in the batch): the key's constraint tells, so it is tried first,
// and again only a while after it last met such a key, so that a stream of
// updates pays for a refused COPY rarely.
PostgresSink::WritePath PostgresSink::first_path() const {
  if (!layout_->copies_rows()) return WritePath::kMerge;
  if (options_.mode == WriteMode::kInsert) {
    return options_.exactly_once ? WritePath::kCopy : WritePath::kMerge;
  }
  return copy_retry_.wait_left(Clock::now()) == Clock::duration::zero()
             ? WritePath::kCopyOrMerge
             : WritePath::kMerge;
}

std::string PostgresSink::merge_sql() const {
  return merge_statement({.target = options_.target,
                          .key = layout_->key(),
                          .values = layout_->values(),
                          .mode = options_.mode,
                          .delete_on_tombstone = options_.delete_on_tombstone});
}

// One bad record must not block the batch: when the server refuses the
// batch for its data, each half is tried on its own (in savepoints of the
// same transaction, in order, so upserts keep their last-wins order) until
// the refused records stand alone; those go by the host's error policy and
// the rest is written. A batch without such a record costs one savepoint.
void PostgresSink::write_isolating(pqxx::work& tx,
                                   std::span<const BufferedRecord> records,
                                   WritePath path,
                                   const std::string& merge_sql) {
  try {
    pqxx::subtransaction attempt(tx, "rdconnect_batch");
    write_records(attempt, records, path, merge_sql);
    attempt.commit();
    return;
  } catch (const pqxx::sql_error& error) {
    // A row the offsets do not account for (written with exactly_once
    // off, say): the merge skips it, as an insert always did.
    if (path == WritePath::kCopy && error.sqlstate() == kUniqueViolation) {
      write_isolating(tx, records, WritePath::kMerge, merge_sql);
      return;
    }
    if (!refused_for_its_data(error)) throw;
    if (records.size() == 1) {
      report_refused(records.front(), error);
      return;
    }
  }
  const size_t half = records.size() / 2;
  write_isolating(tx, records.first(half), path, merge_sql);
  write_isolating(tx, records.subspan(half), path, merge_sql);
}

void PostgresSink::write_records(pqxx::dbtransaction& tx,
                                 std::span<const BufferedRecord> records,
                                 WritePath path, const std::string& merge_sql) {
  if (path == WritePath::kCopy) {
    layout_->copy_rows(tx, records);
    return;
  }
  // A tombstone deletes (or is ignored), which only the merge does.
  const bool has_tombstone = std::ranges::any_of(
      records,
      [](const BufferedRecord& record) { return !record.value.has_value(); });
  if (path == WritePath::kCopyOrMerge && !has_tombstone &&
      copied_without_conflict(tx, records)) {
    return;
  }
  stage(tx, records);
  tx.exec0(merge_sql);
}

// The straight COPY, in a savepoint: a key already in the table, or twice
// in the batch, undoes it, and the caller merges the records instead.
// Every other error is the caller's, as the merge would meet it too.
bool PostgresSink::copied_without_conflict(
    pqxx::dbtransaction& tx, std::span<const BufferedRecord> records) {
  try {
    pqxx::subtransaction attempt(tx, "rdconnect_copy");
    layout_->copy_rows(attempt, records);
    attempt.commit();
  } catch (const pqxx::sql_error& error) {
    if (error.sqlstate() != kUniqueViolation) throw;
    const auto now = Clock::now();
    copy_retry_.failed(now);
    host_.debug(
        "a key of a batch of " + std::to_string(records.size()) +
        " records is in " + options_.target.quoted() +
        " already, or twice in the batch: merging it instead; a straight "
        "COPY is tried again in " +
        std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                           copy_retry_.wait_left(now))
                           .count()) +
        " ms");
    return false;
  }
  copy_retry_.succeeded();
  return true;
}

// The host reads the record only during the call: a view of the copy does.
void PostgresSink::report_refused(const BufferedRecord& record,
                                  const std::exception& error) {
  rdc_record view{};
  view.topic = record.topic.c_str();
  view.partition = record.partition;
  view.offset = record.offset;
  view.timestamp_ms = record.timestamp_ms.value_or(-1);
  if (record.key) view.key = {record.key->data(), record.key->size()};
  if (record.value) view.value = {record.value->data(), record.value->size()};
  std::vector<rdc_header> headers;
  headers.reserve(record.headers.size());
  for (const BufferedHeader& header : record.headers) {
    headers.push_back({header.name.c_str(), {}});
    if (header.value) {
      headers.back().value = {header.value->data(), header.value->size()};
    }
  }
  view.headers = headers.data();
  view.header_count = headers.size();
  host_.record_failed(
      Record(view),
      "record " + coordinates(record.topic, record.partition, record.offset) +
          " cannot be written to " + options_.target.quoted() +
          ": PostgreSQL refused it: " + primary_message(error));
}

void PostgresSink::prepare_target(std::span<const BufferedRecord> batch) {
  for (int round = 0; round < kMigrationRounds; ++round) {
    const std::vector<Migration> migrations = layout_->migrations_for(batch);
    if (migrations.empty()) return;
    const size_t applied =
        apply_migrations(*connection_, options_.target.schema, migrations);
    if (applied > 0) {
      host_.info("applied " + std::to_string(applied) + " migration(s) to " +
                 options_.target.quoted());
    }
    pqxx::read_transaction tx(*connection_);
    layout_->discover(tx);
  }
  if (!layout_->migrations_for(batch).empty()) {
    throw std::runtime_error(
        "postgres_sink: " + options_.target.quoted() +
        " does not have the shape its recorded migrations give it (was it "
        "dropped or altered by hand?); restore it, or delete its rows from " +
        TableName{options_.target.schema, std::string(kMigrationsTable)}
            .quoted() +
        " so the sink creates it again, and this connector's rows from " +
        offsets_.table().quoted() +
        " so that it writes every record again rather than resume after "
        "the ones that were in the table");
  }
}

pqxx::connection& PostgresSink::connection() {
  if (connection_ == nullptr) connection_ = connect();
  return *connection_;
}

std::unique_ptr<pqxx::connection> PostgresSink::connect() {
  const auto wait = reconnect_.wait_left(Clock::now());
  if (wait > Clock::duration::zero()) {
    throw RetriableError(
        "postgres_sink: not reconnecting to " + options_.dsn.description() +
        " for another " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(wait)
                .count()) +
        " ms after the last attempt failed");
  }
  try {
    auto database = std::make_unique<pqxx::connection>(options_.dsn.text());
    database->set_client_encoding("UTF8");
    apply_migrations(*database, options_.target.schema, offsets_.migrations());
    pqxx::work tx(*database);
    layout_->discover(tx);
    create_staging_table(tx);
    tx.commit();
    reconnect_.succeeded();
    host_.info("connected to " + options_.dsn.description());
    return database;
  } catch (...) {
    reconnect_.failed(Clock::now());
    throw;
  }
}

template <typename Work>
void PostgresSink::guarded(const char* action, Work&& work) {
  try {
    work();
  } catch (const RetriableError&) {
    throw;
  } catch (const pqxx::failure& error) {
    const std::string message =
        "postgres_sink: " + std::string(action) + " (" +
        options_.dsn.description() + ", " + options_.target.quoted() +
        ") failed: " + options_.dsn.redact(primary_message(error));
    switch (classify(error)) {
      case FailureKind::kConnectionLost:
        connection_.reset();
        throw RetriableError(message);
      case FailureKind::kTransient:
        throw RetriableError(message);
      case FailureKind::kPermanent:
        throw std::runtime_error(message);
    }
  }
}

}  // namespace rdconnect::postgres_sink
