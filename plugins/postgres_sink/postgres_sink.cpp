#include "postgres_sink.hpp"

#include <stdexcept>

#include "columns_layout.hpp"
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

void PostgresSink::put(const Records& records) {
  // Flushing before anything of this call is buffered keeps put()
  // repeatable when the flush fails.
  if (flush_due()) flush();
  // Connecting tells the layout the target's current shape (its key type).
  guarded("connecting", [&] { connection(); });
  if (buffer_.empty() && next_offsets_.empty()) first_put_at_ = Clock::now();
  for (const Record& record : records) buffer(record);
}

void PostgresSink::buffer(const Record& record) {
  BufferedRecord copy = copy_of(record);
  next_offsets_[{copy.topic, copy.partition}] = copy.offset + 1;
  if (std::optional<std::string> problem = layout_->rejection(copy)) {
    host_.record_failed(
        record, "record " +
                    coordinates(copy.topic, copy.partition, copy.offset) +
                    " cannot be written to " + options_.target.quoted() + ": " +
                    *problem);
    return;
  }
  buffer_.push_back(std::move(copy));
}

void PostgresSink::flush() {
  if (buffer_.empty() && next_offsets_.empty()) return;
  guarded("writing a batch", [&] { write_buffer(); });
  host_.debug("wrote " + std::to_string(buffer_.size()) + " records to " +
              options_.target.quoted());
  buffer_.clear();
  next_offsets_.clear();
}

void PostgresSink::close(std::span<const TopicPartition> partitions) {
  // Records of partitions taken away without a flush (a lost assignment)
  // are the next owner's to write.
  for (const TopicPartition& partition : partitions) {
    const PartitionKey key{partition.topic, partition.partition};
    next_offsets_.erase(key);
    std::erase_if(buffer_, [&](const BufferedRecord& record) {
      return record.topic == key.first && record.partition == key.second;
    });
  }
}

bool PostgresSink::flush_due() const {
  if (buffer_.empty()) return false;
  return buffer_.size() >= options_.batch_max_records ||
         Clock::now() - first_put_at_ >= options_.batch_max_ms;
}

void PostgresSink::write_buffer() {
  pqxx::connection& database = connection();
  if (!buffer_.empty()) prepare_target(buffer_);
  pqxx::work tx(database);
  if (options_.exactly_once) skip_written(tx);
  if (!buffer_.empty()) write_isolating(tx, buffer_, first_path());
  if (options_.exactly_once) offsets_.advance(tx, next_offsets_);
  tx.commit();
}

// Locking the partitions' offsets first is what keeps a zombie (the
// partitions' previous owner, still flushing after a rebalance) from
// doubling a row: whichever writer locks second waits for the first to
// commit, reads the offsets it advanced, and drops what it has already
// written. Dropped from the buffer for good: those records are committed.
void PostgresSink::skip_written(pqxx::transaction_base& tx) {
  std::vector<PartitionKey> partitions;
  for (const auto& [partition, next_offset] : next_offsets_) {
    partitions.push_back(partition);
  }
  const std::map<PartitionKey, int64_t> written = offsets_.lock(tx, partitions);
  std::erase_if(buffer_, [&](const BufferedRecord& record) {
    return record.offset < written.at({record.topic, record.partition});
  });
}

// Insert mode with exactly_once needs no set-based statement: the locked
// offsets already exclude every record written, so the rows can be COPYed
// straight into the target, written once rather than staged first.
PostgresSink::WritePath PostgresSink::first_path() const {
  return options_.mode == WriteMode::kInsert && options_.exactly_once &&
                 layout_->copies_rows()
             ? WritePath::kCopy
             : WritePath::kMerge;
}

// One bad record must not block the batch: when the server refuses the
// batch for its data, each half is tried on its own (in savepoints of the
// same transaction, in order, so upserts keep their last-wins order) until
// the refused records stand alone; those go by the host's error policy and
// the rest is written. A batch without such a record costs one savepoint.
void PostgresSink::write_isolating(pqxx::work& tx,
                                   std::span<const BufferedRecord> records,
                                   WritePath path) {
  try {
    pqxx::subtransaction attempt(tx, "rdconnect_batch");
    write_records(attempt, records, path);
    attempt.commit();
    return;
  } catch (const pqxx::sql_error& error) {
    // A row the offsets do not account for (written with exactly_once
    // off, say): the merge skips it, as an insert always did.
    if (path == WritePath::kCopy && error.sqlstate() == kUniqueViolation) {
      write_isolating(tx, records, WritePath::kMerge);
      return;
    }
    if (!refused_for_its_data(error)) throw;
    if (records.size() == 1) {
      report_refused(records.front(), error);
      return;
    }
  }
  const size_t half = records.size() / 2;
  write_isolating(tx, records.first(half), path);
  write_isolating(tx, records.subspan(half), path);
}

void PostgresSink::write_records(pqxx::transaction_base& tx,
                                 std::span<const BufferedRecord> records,
                                 WritePath path) {
  if (path == WritePath::kCopy) {
    layout_->copy_rows(tx, records);
    return;
  }
  stage(tx, records);
  const MergeSpec spec{.target = options_.target,
                       .key = layout_->key(),
                       .values = layout_->values(),
                       .mode = options_.mode,
                       .delete_on_tombstone = options_.delete_on_tombstone};
  tx.exec0(merge_statement(spec));
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
