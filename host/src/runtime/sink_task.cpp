#include "runtime/sink_task.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "common/log_context.hpp"
#include "runtime/plugin_call.hpp"

namespace rdconnect::runtime {
namespace {

constexpr int kPollTimeoutMs = 100;
// How long a rebalance waits for a retriable flush before it gives the
// partitions up uncommitted (the next owner then re-reads them).
constexpr int64_t kRevokeFlushDeadlineMs = 30000;
// How long a task waits for the first one to join the group (JoinOrder):
// far more than a reachable group takes (0.1 s), and a bounded delay when
// the brokers are not there yet.
constexpr std::chrono::milliseconds kFirstJoinLimit{10000};

config::ErrorPolicy revoke_policy(config::ErrorPolicy policy) {
  policy.retry_timeout_ms =
      std::min(policy.retry_timeout_ms, kRevokeFlushDeadlineMs);
  return policy;
}

// Marks the plugin's flush() as running, for as long as the scope lasts.
class FlushingScope {
 public:
  explicit FlushingScope(bool& flushing) : flushing_(flushing) {
    flushing_ = true;
  }
  ~FlushingScope() { flushing_ = false; }
  FlushingScope(const FlushingScope&) = delete;
  FlushingScope& operator=(const FlushingScope&) = delete;

 private:
  bool& flushing_;
};

// The topic names point into `partitions`, which must outlive the result.
std::vector<rdc_topic_partition> to_c_partitions(
    const std::vector<kafka::TopicPartition>& partitions) {
  std::vector<rdc_topic_partition> result;
  result.reserve(partitions.size());
  for (const kafka::TopicPartition& partition : partitions) {
    result.push_back(
        {partition.topic.c_str(), partition.partition, RDC_OFFSET_COMMITTED});
  }
  return result;
}

std::string describe(const std::vector<kafka::TopicPartition>& partitions) {
  std::string text;
  for (const kafka::TopicPartition& partition : partitions) {
    if (!text.empty()) text += ", ";
    text += partition.topic + "[" + std::to_string(partition.partition) + "]";
  }
  return text.empty() ? "none" : text;
}

std::span<const std::byte> key_bytes(const kafka::Message& message) {
  return {static_cast<const std::byte*>(message.key()), message.key_size()};
}

std::span<const std::byte> value_bytes(const kafka::Message& message) {
  return {static_cast<const std::byte*>(message.value()), message.value_size()};
}

bool contains(const std::vector<kafka::TopicPartition>& partitions,
              const kafka::Message& message) {
  return std::any_of(partitions.begin(), partitions.end(),
                     [&](const kafka::TopicPartition& partition) {
                       return partition.is(message.topic(),
                                           message.partition());
                     });
}

}  // namespace

SinkTask::SinkTask(const PreparedSink& prepared,
                   kafka::Properties consumer_properties, int task_index,
                   ConnectorStatus& status, JoinOrder& join_order,
                   std::shared_ptr<DeadLetterQueue> dead_letters,
                   bool flush_at_end)
    : prepared_(prepared),
      task_index_(task_index),
      name_(prepared.config.name + "#" + std::to_string(task_index)),
      consumer_properties_(std::move(consumer_properties)),
      status_(status),
      join_order_(join_order),
      failures_(name_, prepared.config.errors.tolerance,
                std::move(dead_letters), status.metrics),
      retrier_(name_, prepared.config.errors, &status.metrics.retries),
      revoke_retrier_(name_, revoke_policy(prepared.config.errors),
                      &status.metrics.retries),
      plugin_host_(prepared.config.name,
                   [this](const rdc_record& record, const char* message) {
                     return fail_record(failed_by_plugin(record, message));
                   }),
      watch_(&status.metrics.plugin_calls),
      converter_(prepared.config),
      flush_at_end_(flush_at_end) {}

SinkTask::~SinkTask() {
  request_stop();
  join();
}

void SinkTask::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void SinkTask::request_stop() { thread_.request_stop(); }

void SinkTask::join() {
  if (thread_.joinable()) thread_.join();
}

std::optional<std::string> SinkTask::blocked_call(
    std::chrono::milliseconds limit) const {
  return watch_.running_longer_than(limit);
}

// During flush() the plugin is about to make the record's offset durable:
// its dead letter must be acknowledged first, and a refusal must reach the
// plugin before it commits.
std::optional<std::string> SinkTask::fail_record(const FailedRecord& record) {
  std::optional<Error> stop;
  if (std::optional<std::string> reason = failures_.handle(record)) {
    stop = Error::fatal(*reason);
  } else if (flushing_) {
    try {
      failures_.flush();
    } catch (const Error& error) {
      stop = error;
    }
  }
  if (!stop) return std::nullopt;
  if (!stop_error_) stop_error_ = stop;
  return std::string(stop->what());
}

void SinkTask::throw_if_stopping() {
  if (stop_error_) throw *stop_error_;
}

void SinkTask::run(std::stop_token stop) {
  const LogContextScope log_context(
      {.connector = prepared_.config.name, .task = name_});
  const PluginCaller call = caller();
  try {
    stop_ = stop;
    const std::vector<rdc_config_value> config = prepared_.plugin_config.as_c();
    retrier_.run(stop, [&] {
      call("create", api().create, plugin_host_.c_host(), config.data(),
           config.size(), &instance_);
    });
    consumer_ = std::make_unique<kafka::Consumer>(
        consumer_properties_, client_name(),
        [this](kafka::Rebalance kind,
               std::vector<kafka::TopicPartition>& partitions) {
          on_rebalance(kind, partitions);
        },
        status_.kafka_clients.track(client_name(), consumer_properties_));
    if (task_index_ > 0) join_order_.wait_for_first(stop, kFirstJoinLimit);
    consumer_->subscribe(prepared_.config.topics);
    status_.mark_ran();
    last_flush_ = Clock::now();
    {
      // A stop ends the poll under way at once, not at its timeout.
      const std::stop_callback wake_on_stop(stop,
                                            [this] { consumer_->wake(); });
      consume_loop(stop);
    }
    shut_down();
  } catch (const std::exception& error) {
    fail_and_leave(error);
  }
  if (task_index_ == 0) join_order_.first_joined();
  consumer_.reset();
  status_.kafka_clients.remove(client_name());
  // A consumer that died without revoking its partitions holds none now.
  status_.assigned.update([this](std::vector<AssignedPartition>& assigned) {
    std::erase_if(assigned, [this](const AssignedPartition& entry) {
      return entry.task == task_index_;
    });
  });
  if (instance_ != nullptr) api().destroy(instance_);
  instance_ = nullptr;
}

// Leave the group without flushing or committing: whatever was not flushed
// is read again by the next owner of the partitions. Closing the consumer
// revokes them through on_rebalance, which must then find nothing to
// flush: a flush now would make durable the batch of a failed plugin, or
// the records around one the error policy stops at (and an exactly-once
// sink would store offsets past it).
void SinkTask::fail_and_leave(const std::exception& error) {
  spdlog::error("[{}] sink task failed: {}", name_, error.what());
  status_.fail(error.what(), is_permanent(error));
  unflushed_.clear();
  unflushed_records_ = 0;
  unflushed_bytes_ = 0;
  if (!consumer_) return;
  try {
    consumer_->close();
  } catch (const std::exception& close_error) {
    // The task has failed already; closing the partitions in the plugin
    // failing as well changes nothing of what happens next.
    spdlog::debug("[{}] closing after the failure: {}", name_,
                  close_error.what());
  }
}

void SinkTask::consume_loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    follow_pause_request(stop);
    poll_batch(stop);
    commit_resume_offsets();
    if (!batch_.empty()) deliver(stop);
    if (flush_due()) flush_and_commit(stop, retrier_);
  }
}

bool SinkTask::flush_due() const {
  if (unflushed_records_ == 0) return false;
  if (flush_at_end_ && ends_.all_at_end()) return true;
  return Clock::now() - last_flush_ >=
         std::chrono::milliseconds(prepared_.config.flush_interval_ms);
}

// Collects up to max_batch_records messages: those ready at once, in one
// librdkafka call, or else the first to come within kPollTimeoutMs and then
// those ready after it. A rebalance (served inside a poll) drops the
// collected messages of the partitions it revokes: they are read again by
// whoever owns the partitions next, from the committed offset; the
// consumer drops those of the call it came in (kafka::Consumer::poll_ready).
// A stop request wakes the poll and ends the batch.
void SinkTask::poll_batch(std::stop_token stop) {
  const size_t max = static_cast<size_t>(prepared_.config.max_batch_records);
  batch_.clear();
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(kPollTimeoutMs);
  while (batch_.size() < max && !stop.stop_requested()) {
    polled_.clear();
    if (consumer_->poll_ready(max - batch_.size(), polled_) == 0) {
      if (!batch_.empty()) break;
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - Clock::now());
      if (left.count() <= 0) break;
      kafka::MessagePtr message =
          consumer_->poll(static_cast<int>(left.count()));
      if (message) polled_.push_back(std::move(message));
    }
    take_polled();
  }
}

// Partition ends and consumer errors are noted here; the records go into
// the batch.
void SinkTask::take_polled() {
  for (kafka::MessagePtr& message : polled_) {
    const kafka::Message view(*message);
    if (view.error().is_partition_end()) {
      ends_.reached_end(view.topic(), view.partition());
    } else if (!view.error().ok()) {
      log_consumer_error(view);
    } else {
      ends_.consumed(view.topic(), view.partition());
      batch_.push_back(std::move(message));
    }
  }
}

void SinkTask::log_consumer_error(const kafka::Message& message) {
  if (std::optional<std::string> reason = consumer_->fatal_error()) {
    throw Error::fatal("consumer failed for good: " + *reason);
  }
  // Most consumer errors are transient (a topic not created yet, a broker
  // restarting) and librdkafka recovers by itself; keep the log readable.
  const auto now = Clock::now();
  if (now - last_consumer_error_log_ < std::chrono::seconds(5)) return;
  last_consumer_error_log_ = now;
  spdlog::warn("[{}] consumer: {}{}", name_, message.error_text(),
               message.has_topic()
                   ? std::string(" (topic ") + message.topic() + ")"
                   : std::string());
}

// Hands the batch to the plugin. Records over max_record_bytes never reach
// it; they and the records the plugin reports as failed go by the error
// policy. Every record of the batch counts as handled once put() returned.
void SinkTask::deliver(std::stop_token stop) {
  accepted_.clear();
  converted_.clear();
  uint64_t bytes = 0;
  for (const kafka::MessagePtr& message : batch_) {
    const kafka::Message view(*message);
    bytes += view.key_size() + view.value_size();
    if (!oversized(view)) accepted_.push_back(view);
  }
  status_.metrics.records_in.fetch_add(batch_.size(),
                                       std::memory_order_relaxed);
  status_.metrics.bytes_in.fetch_add(bytes, std::memory_order_relaxed);
  if (converter_.converts()) convert_accepted(stop);
  // Dead letters are acknowledged before the plugin sees anything that it
  // might make durable past them: before put() for the oversized records
  // of this batch, after it for the records put() reported.
  failures_.flush();
  throw_if_stopping();
  if (!accepted_.empty()) put_with_retry(stop);
  throw_if_stopping();
  failures_.flush();
  note_unflushed_offsets();
  unflushed_records_ += batch_.size();
  unflushed_bytes_ += bytes;
}

// The batch's schemas are fetched first, retried while the registry is
// unreachable, so that a repeat cannot hand one record's failure to the
// error policy twice; the records are then converted without I/O. Those
// that fail leave accepted_.
void SinkTask::convert_accepted(std::stop_token stop) {
  converter_.start_batch();
  retrier_.run(stop, [&] {
    for (const kafka::Message& message : accepted_) {
      converter_.fetch_schema(schema::RecordPart::key, key_bytes(message));
      converter_.fetch_schema(schema::RecordPart::value, value_bytes(message));
    }
  });
  size_t kept = 0;
  for (const kafka::Message& message : accepted_) {
    ConvertedParts parts;
    if (convert_part(message, schema::RecordPart::key, parts.key) &&
        convert_part(message, schema::RecordPart::value, parts.value)) {
      accepted_[kept++] = message;
      converted_.push_back(std::move(parts));
    }
  }
  accepted_.erase(accepted_.begin() + static_cast<ptrdiff_t>(kept),
                  accepted_.end());
}

bool SinkTask::convert_part(const kafka::Message& message,
                            schema::RecordPart part,
                            std::optional<std::string>& target) {
  schema::ConvertOutcome outcome = converter_.convert(
      part, part == schema::RecordPart::key ? key_bytes(message)
                                            : value_bytes(message));
  if (auto* json = std::get_if<std::string>(&outcome)) {
    target = std::move(*json);
    return true;
  }
  const auto* failure = std::get_if<schema::ConvertFailure>(&outcome);
  if (failure == nullptr) return true;
  RecordViews view;
  view.fill(std::span(&message, 1));
  fail_record(failed_consumed_record(*view.data(), "convert",
                                     failure->error_class, failure->message));
  return false;
}

FailedRecord SinkTask::failed_by_plugin(const rdc_record& record,
                                        const char* message) const {
  FailedRecord failed =
      failed_consumed_record(record, "plugin", "RecordError", message);
  if (converted_.empty()) return failed;
  if (const std::optional<size_t> index = views_.index_of(record)) {
    const kafka::Message& consumed = accepted_[*index];
    failed.key = {consumed.key(), consumed.key_size()};
    failed.value = {consumed.value(), consumed.value_size()};
  }
  return failed;
}

// Messages of one partition come in runs with rising offsets: only the last
// of each run needs its offset noted.
void SinkTask::note_unflushed_offsets() {
  for (size_t i = 0; i < batch_.size(); ++i) {
    const kafka::Message message(*batch_[i]);
    if (i + 1 < batch_.size() &&
        message.same_partition(kafka::Message(*batch_[i + 1]))) {
      continue;
    }
    unflushed_.set(message.topic(), message.partition(), message.offset() + 1);
  }
}

bool SinkTask::oversized(const kafka::Message& message) {
  const int64_t limit = prepared_.config.max_record_bytes;
  const auto size =
      static_cast<int64_t>(message.key_size() + message.value_size());
  if (limit == 0 || size <= limit) return false;
  RecordViews view;
  view.fill(std::span(&message, 1));
  fail_record(failed_consumed_record(
      *view.data(), "size", "RecordTooLarge",
      "key and value are " + std::to_string(size) +
          " bytes, over max_record_bytes = " + std::to_string(limit)));
  return true;
}

// A sink that answers RDC_RETRY is full: its partitions are paused while
// put() is retried, so that nothing more is fetched and buffered meanwhile.
// The first answer goes through the retrier too, so that each repeated
// put() is counted as a retry.
void SinkTask::put_with_retry(std::stop_token stop) {
  const PluginCaller call = caller();
  views_.fill(accepted_, converted_);
  status_.metrics.put_batch_records.Observe(static_cast<double>(views_.size()));
  bool paused_for_retry = false;
  retrier_.run(stop, [&] {
    try {
      call("put", api().put, instance_, views_.data(), views_.size());
    } catch (const Error& error) {
      if (error.is_retriable() && !paused_for_retry) {
        spdlog::info("[{}] consumption paused while put() is retried", name_);
        consumer_->set_paused(true);
        paused_for_retry = true;
      }
      throw;
    }
  });
  // Unless the operator paused the connector meanwhile.
  if (paused_for_retry) consumer_->set_paused(consumer_paused_);
}

// The operator's pause stops fetching but not polling: the task stays in
// its group (polls are what keep it there). What it holds is flushed and
// committed at once, so that a paused connector has written and committed
// everything it took.
void SinkTask::follow_pause_request(std::stop_token stop) {
  const bool wanted = status_.paused();
  if (wanted == consumer_paused_) return;
  consumer_->set_paused(wanted);
  consumer_paused_ = wanted;
  if (!wanted) {
    spdlog::info("[{}] resumed", name_);
    return;
  }
  const uint64_t held = unflushed_records_;
  if (held > 0) flush_and_commit(stop, retrier_);
  spdlog::info(
      "[{}] paused: fetching stopped; {} record(s) held were "
      "flushed and committed",
      name_, held);
}

// Dead-lettered records are handled only once the dead-letter topic has
// them: that is settled before the plugin's flush, since an exactly-once
// sink stores its offsets (past those records) in the flush itself.
void SinkTask::flush_and_commit(std::stop_token stop, const Retrier& retrier) {
  const PluginCaller call = caller();
  failures_.flush();
  {
    const FlushingScope flushing(flushing_);
    retrier.run(stop, [&] { call("flush", api().flush, instance_); });
  }
  // A refusal the plugin was told of during the flush fails it anyway: a
  // plugin of ABI 1.0 could not be told.
  throw_if_stopping();
  last_flush_ = Clock::now();
  commit_flushed();
}

// Only called right after a successful flush: everything in unflushed_ is
// durable in the destination now.
void SinkTask::commit_flushed() {
  if (unflushed_.empty()) return;
  commit(unflushed_);
  status_.metrics.records.fetch_add(unflushed_records_);
  status_.metrics.bytes.fetch_add(unflushed_bytes_);
  unflushed_.clear();
  unflushed_records_ = 0;
  unflushed_bytes_ = 0;
  // --until-caught-up waits for this commit.
  status_.changed();
}

void SinkTask::commit(const PartitionOffsets& offsets) {
  const Clock::time_point started = Clock::now();
  const kafka::ErrorCode err = consumer_->commit(offsets.list());
  status_.metrics.commit_seconds.Observe(
      std::chrono::duration<double>(Clock::now() - started).count());
  if (!err.ok()) {
    // The records are in the destination; a failed commit only means the
    // next owner may see them again (sinks with their own offsets don't).
    spdlog::warn("[{}] committing offsets failed: {}", name_, err.text());
  }
}

// Offsets a sink keeps itself are durable already: committing them to the
// group as well keeps its lag (and --until-caught-up) true, even when no
// record arrives after the resume to carry a commit.
void SinkTask::commit_resume_offsets() {
  if (!resume_offsets_.empty()) {
    commit(resume_offsets_);
    resume_offsets_.clear();
    status_.changed();
  }
  // From here on the group's commits are this task's starting points.
  if (assigned_once_ && !positioned_) {
    positioned_ = true;
    status_.mark_task_positioned();
    status_.changed();
  }
}

void SinkTask::shut_down() {
  // A normal stop: make everything put so far durable and committed, then
  // leave the group; close() revokes the partitions through the rebalance
  // handler, which closes them in the plugin.
  std::stop_source never;
  if (unflushed_records_ > 0) flush_and_commit(never.get_token(), retrier_);
  consumer_->close();
}

void SinkTask::on_rebalance(kafka::Rebalance kind,
                            std::vector<kafka::TopicPartition>& partitions) {
  if (kind == kafka::Rebalance::assigned) {
    assign(partitions);
  } else {
    revoke(partitions, kind == kafka::Rebalance::lost);
  }
}

void SinkTask::assign(std::vector<kafka::TopicPartition>& partitions) {
  spdlog::info("[{}] assigned {}", name_, describe(partitions));
  // The group is formed: the other tasks may join it (before open(), which
  // may wait long for the sink's destination).
  if (task_index_ == 0) join_order_.first_joined();
  std::vector<rdc_topic_partition> opened = to_c_partitions(partitions);
  const PluginCaller call = caller();
  // A sink that keeps its offsets in its destination needs it reachable to
  // say where to resume: wait for it rather than fail the task.
  // A sink without open() keeps the committed offsets (ABI 1.3).
  if (api().open != nullptr) {
    retrier_.run(stop_, [&] {
      call("open", api().open, instance_, opened.data(), opened.size());
    });
  }
  // A sink that keeps its own offsets says where to resume; the offset
  // given back is where the consumer starts (RDC_OFFSET_COMMITTED is
  // librdkafka's "use the committed offset").
  std::vector<AssignedPartition> held;
  for (size_t i = 0; i < opened.size(); ++i) {
    partitions[i].offset = opened[i].offset;
    held.push_back({partitions[i].topic, partitions[i].partition, task_index_,
                    std::nullopt});
    if (opened[i].offset >= 0) {
      resume_offsets_.set(partitions[i].topic, partitions[i].partition,
                          opened[i].offset);
      held.back().stored_by_sink = opened[i].offset;
    }
  }
  status_.assigned.update([&held](std::vector<AssignedPartition>& assigned) {
    assigned.insert(assigned.end(), held.begin(), held.end());
  });
  ends_.assigned(partitions);
  assigned_once_ = true;
}

void SinkTask::revoke(const std::vector<kafka::TopicPartition>& partitions,
                      bool lost) {
  spdlog::info("[{}] {} {}", name_, lost ? "lost" : "revoked",
               describe(partitions));
  for (const kafka::TopicPartition& partition : partitions) {
    resume_offsets_.erase(partition.topic, partition.partition);
  }
  std::erase_if(batch_, [&partitions](const kafka::MessagePtr& message) {
    return contains(partitions, kafka::Message(*message));
  });
  if (!lost && unflushed_records_ > 0) {
    // Flush before the partitions go, so the next owner starts after what
    // this task wrote. A stop request must not cut this short.
    std::stop_source never;
    flush_and_commit(never.get_token(), revoke_retrier_);
  }
  // Offsets of partitions that are gone must not be committed later.
  for (const kafka::TopicPartition& partition : partitions) {
    unflushed_.erase(partition.topic, partition.partition);
  }
  ends_.revoked(partitions);
  status_.assigned.update([&](std::vector<AssignedPartition>& assigned) {
    std::erase_if(assigned, [&](const AssignedPartition& entry) {
      return entry.task == task_index_ &&
             std::any_of(partitions.begin(), partitions.end(),
                         [&](const kafka::TopicPartition& gone) {
                           return gone.is(entry.topic, entry.partition);
                         });
    });
  });
  if (api().close == nullptr) return;
  std::vector<rdc_topic_partition> closed = to_c_partitions(partitions);
  caller()("close", api().close, instance_, closed.data(), closed.size());
}

}  // namespace rdconnect::runtime
