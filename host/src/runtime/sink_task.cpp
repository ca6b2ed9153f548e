#include "runtime/sink_task.hpp"

#include <cstring>

#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "runtime/plugin_call.hpp"

namespace rdconnect::runtime {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kPollTimeoutMs = 100;
// How long a rebalance waits for a retriable flush before it gives the
// partitions up uncommitted (the next owner then re-reads them).
constexpr int64_t kRevokeFlushDeadlineMs = 30000;

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

TopicPartitionKey key_of(const rd_kafka_topic_partition_t& partition) {
  return {partition.topic, partition.partition};
}

// The views handed to put(): rdc_record and rdc_header arrays pointing into
// the librdkafka messages, which stay alive for the duration of the call.
class RecordViews {
 public:
  explicit RecordViews(const std::vector<const rd_kafka_message_t*>& batch) {
    records_.reserve(batch.size());
    headers_.reserve(count_headers(batch));
    for (const rd_kafka_message_t* message : batch) add(*message);
  }
  const rdc_record* data() const { return records_.data(); }
  size_t size() const { return records_.size(); }

 private:
  static size_t count_headers(
      const std::vector<const rd_kafka_message_t*>& batch) {
    size_t count = 0;
    for (const rd_kafka_message_t* message : batch) {
      rd_kafka_headers_t* headers = nullptr;
      if (rd_kafka_message_headers(message, &headers) ==
          RD_KAFKA_RESP_ERR_NO_ERROR) {
        count += rd_kafka_header_cnt(headers);
      }
    }
    return count;
  }

  void add(const rd_kafka_message_t& message) {
    rdc_record record{};
    record.topic = rd_kafka_topic_name(message.rkt);
    record.partition = message.partition;
    record.offset = message.offset;
    record.timestamp_ms = rd_kafka_message_timestamp(&message, nullptr);
    record.key = {message.key, message.key_len};
    record.value = {message.payload, message.len};
    add_headers(message, record);
    records_.push_back(record);
  }

  void add_headers(const rd_kafka_message_t& message, rdc_record& record) {
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(&message, &headers) !=
        RD_KAFKA_RESP_ERR_NO_ERROR) {
      return;
    }
    const size_t first = headers_.size();
    const char* name = nullptr;
    const void* value = nullptr;
    size_t size = 0;
    for (size_t i = 0;
         rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
         RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      headers_.push_back({name, {value, size}});
    }
    // headers_ was reserved for the whole batch, so these pointers stay put.
    record.headers = headers_.data() + first;
    record.header_count = headers_.size() - first;
  }

  std::vector<rdc_record> records_;
  std::vector<rdc_header> headers_;
};

kafka::PartitionListPtr to_partition_list(
    const std::map<TopicPartitionKey, int64_t>& offsets) {
  kafka::PartitionListPtr list =
      kafka::make_partition_list(static_cast<int>(offsets.size()));
  for (const auto& [key, offset] : offsets) {
    rd_kafka_topic_partition_list_add(list.get(), key.first.c_str(), key.second)
        ->offset = offset;
  }
  return list;
}

std::vector<rdc_topic_partition> to_c_partitions(
    const rd_kafka_topic_partition_list_t& partitions) {
  std::vector<rdc_topic_partition> result;
  result.reserve(partitions.cnt);
  for (int i = 0; i < partitions.cnt; ++i) {
    result.push_back({partitions.elems[i].topic, partitions.elems[i].partition,
                      RDC_OFFSET_COMMITTED});
  }
  return result;
}

std::string describe(const rd_kafka_topic_partition_list_t& partitions) {
  std::string text;
  for (int i = 0; i < partitions.cnt; ++i) {
    if (!text.empty()) text += ", ";
    text += std::string(partitions.elems[i].topic) + "[" +
            std::to_string(partitions.elems[i].partition) + "]";
  }
  return text.empty() ? "none" : text;
}

}  // namespace

SinkTask::SinkTask(const PreparedSink& prepared,
                   kafka::Properties consumer_properties, int task_index,
                   ConnectorStatus& status,
                   std::shared_ptr<DeadLetterQueue> dead_letters)
    : prepared_(prepared),
      name_(prepared.config.name + "#" + std::to_string(task_index)),
      consumer_properties_(std::move(consumer_properties)),
      status_(status),
      failures_(name_, prepared.config.errors.tolerance,
                std::move(dead_letters), status.metrics),
      retrier_(name_, prepared.config.errors),
      revoke_retrier_(name_, revoke_policy(prepared.config.errors)),
      plugin_host_(prepared.config.name,
                   [this](const rdc_record& record, const char* message) {
                     return fail_record(failed_consumed_record(
                         record, "plugin", "RecordError", message));
                   }) {}

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
  const PluginCaller call = caller();
  try {
    stop_ = stop;
    const std::vector<rdc_config_value> config = prepared_.plugin_config.as_c();
    retrier_.run(stop, [&] {
      call("create", api().create, plugin_host_.c_host(), config.data(),
           config.size(), &instance_);
    });

    kafka::ConfPtr conf =
        kafka::make_conf(consumer_properties_, "sink-" + name_);
    rd_kafka_conf_set_rebalance_cb(conf.get(), &SinkTask::on_rebalance);
    rd_kafka_conf_set_opaque(conf.get(), this);
    consumer_ = kafka::make_client(RD_KAFKA_CONSUMER, std::move(conf));
    rd_kafka_poll_set_consumer(consumer_.get());

    kafka::PartitionListPtr topics = kafka::make_partition_list(
        static_cast<int>(prepared_.config.topics.size()));
    for (const std::string& topic : prepared_.config.topics) {
      rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(),
                                        RD_KAFKA_PARTITION_UA);
    }
    const rd_kafka_resp_err_t err =
        rd_kafka_subscribe(consumer_.get(), topics.get());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      throw Error::fatal(std::string("cannot subscribe: ") +
                         rd_kafka_err2str(err));
    }
    status_.mark_ran();
    last_flush_ = Clock::now();
    consume_loop(stop);
    shut_down();
  } catch (const std::exception& error) {
    spdlog::error("[{}] sink task failed: {}", name_, error.what());
    status_.fail(error.what(), is_permanent(error));
    // Leave the group without flushing or committing: whatever was not
    // flushed is read again by the next owner of the partitions. Closing
    // the consumer revokes them through on_rebalance, which must then find
    // nothing to flush: a flush now would make durable the batch of a
    // failed plugin, or the records around one the error policy stops at
    // (and an exactly-once sink would store offsets past it).
    unflushed_.clear();
    unflushed_records_ = 0;
    if (consumer_) {
      rd_kafka_consumer_close(consumer_.get());
    }
  }
  consumer_.reset();
  if (instance_ != nullptr) api().destroy(instance_);
  instance_ = nullptr;
}

void SinkTask::consume_loop(std::stop_token stop) {
  const auto flush_interval =
      std::chrono::milliseconds(prepared_.config.flush_interval_ms);
  while (!stop.stop_requested()) {
    std::vector<kafka::MessagePtr> batch = poll_batch();
    rethrow_callback_failure();
    commit_resume_offsets();
    if (!batch.empty()) deliver(batch, stop);
    if (unflushed_records_ > 0 &&
        Clock::now() - last_flush_ >= flush_interval) {
      flush_and_commit(stop, retrier_);
    }
  }
}

// Collects up to max_batch_records messages, waiting up to kPollTimeoutMs
// for the first and taking the rest only while more are ready at once.
// Messages come one poll at a time so that a rebalance (served inside a
// poll) can drop the collected messages of the partitions it revokes: they
// are read again by whoever owns the partitions next, from the committed
// offset. librdkafka never returns messages of an assignment that was
// revoked, so what comes after a rebalance belongs to the new one.
std::vector<kafka::MessagePtr> SinkTask::poll_batch() {
  const size_t max = static_cast<size_t>(prepared_.config.max_batch_records);
  collecting_.clear();
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(kPollTimeoutMs);
  while (collecting_.size() < max) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    const int timeout =
        collecting_.empty() ? std::max<int>(0, left.count()) : 0;
    kafka::MessagePtr message(rd_kafka_consumer_poll(consumer_.get(), timeout));
    if (!message) {
      if (!collecting_.empty() || left.count() <= 0) break;
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      log_consumer_error(*message);
      continue;
    }
    collecting_.push_back(std::move(message));
  }
  return std::move(collecting_);
}

void SinkTask::log_consumer_error(const rd_kafka_message_t& message) {
  std::array<char, 512> reason{};
  if (rd_kafka_fatal_error(consumer_.get(), reason.data(), reason.size()) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw Error::fatal(std::string("consumer failed for good: ") +
                       reason.data());
  }
  // Most consumer errors are transient (a topic not created yet, a broker
  // restarting) and librdkafka recovers by itself; keep the log readable.
  const auto now = Clock::now();
  if (now - last_consumer_error_log_ < std::chrono::seconds(5)) return;
  last_consumer_error_log_ = now;
  spdlog::warn("[{}] consumer: {}{}", name_, rd_kafka_message_errstr(&message),
               message.rkt ? std::string(" (topic ") +
                                 rd_kafka_topic_name(message.rkt) + ")"
                           : std::string());
}

// Hands a batch to the plugin. Records over max_record_bytes never reach
// it; they and the records the plugin reports as failed go by the error
// policy. Every record of the batch counts as handled once put() returned.
void SinkTask::deliver(const std::vector<kafka::MessagePtr>& batch,
                       std::stop_token stop) {
  std::vector<const rd_kafka_message_t*> accepted;
  accepted.reserve(batch.size());
  for (const kafka::MessagePtr& message : batch) {
    if (!oversized(*message)) accepted.push_back(message.get());
  }
  // Dead letters are acknowledged before the plugin sees anything that it
  // might make durable past them: before put() for the oversized records
  // of this batch, after it for the records put() reported.
  failures_.flush();
  throw_if_stopping();
  if (!accepted.empty()) put_with_retry(accepted, stop);
  throw_if_stopping();
  failures_.flush();
  for (const kafka::MessagePtr& message : batch) {
    unflushed_[{rd_kafka_topic_name(message->rkt), message->partition}] =
        message->offset + 1;
  }
  unflushed_records_ += batch.size();
}

bool SinkTask::oversized(const rd_kafka_message_t& message) {
  const int64_t limit = prepared_.config.max_record_bytes;
  const auto size = static_cast<int64_t>(message.key_len + message.len);
  if (limit == 0 || size <= limit) return false;
  const RecordViews view(std::vector<const rd_kafka_message_t*>{&message});
  fail_record(failed_consumed_record(
      *view.data(), "size", "RecordTooLarge",
      "key and value are " + std::to_string(size) +
          " bytes, over max_record_bytes = " + std::to_string(limit)));
  return true;
}

// A sink that answers RDC_RETRY is full: its partitions are paused while
// put() is retried, so that nothing more is fetched and buffered meanwhile.
void SinkTask::put_with_retry(
    const std::vector<const rd_kafka_message_t*>& batch, std::stop_token stop) {
  const PluginCaller call = caller();
  const RecordViews views(batch);
  const auto put = [&] {
    call("put", api().put, instance_, views.data(), views.size());
  };
  try {
    put();
  } catch (const Error& error) {
    if (!error.is_retriable()) throw;
    spdlog::warn("[{}] {}; pausing consumption while retrying", name_,
                 error.what());
    set_paused(true);
    retrier_.run(stop, put);
    set_paused(false);
  }
}

void SinkTask::set_paused(bool paused) {
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(consumer_.get(), &assignment) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  kafka::PartitionListPtr owned(assignment);
  if (paused) {
    rd_kafka_pause_partitions(consumer_.get(), assignment);
  } else {
    rd_kafka_resume_partitions(consumer_.get(), assignment);
  }
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
  unflushed_.clear();
  unflushed_records_ = 0;
}

void SinkTask::commit(const std::map<TopicPartitionKey, int64_t>& offsets) {
  kafka::PartitionListPtr list = to_partition_list(offsets);
  const rd_kafka_resp_err_t err =
      rd_kafka_commit(consumer_.get(), list.get(), 0 /* synchronous */);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // The records are in the destination; a failed commit only means the
    // next owner may see them again (sinks with their own offsets don't).
    spdlog::warn("[{}] committing offsets failed: {}", name_,
                 rd_kafka_err2str(err));
  }
}

// Offsets a sink keeps itself are durable already: committing them to the
// group as well keeps its lag (and --until-caught-up) true, even when no
// record arrives after the resume to carry a commit.
void SinkTask::commit_resume_offsets() {
  if (resume_offsets_.empty()) return;
  commit(resume_offsets_);
  resume_offsets_.clear();
}

void SinkTask::shut_down() {
  // A normal stop: make everything put so far durable and committed, then
  // leave the group; consumer_close revokes the partitions through the
  // rebalance callback, which closes them in the plugin.
  std::stop_source never;
  if (unflushed_records_ > 0) flush_and_commit(never.get_token(), retrier_);
  rd_kafka_consumer_close(consumer_.get());
  rethrow_callback_failure();
}

void SinkTask::on_rebalance(rd_kafka_t* consumer, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t* partitions,
                            void* opaque) {
  auto* self = static_cast<SinkTask*>(opaque);
  const bool cooperative =
      std::strcmp(rd_kafka_rebalance_protocol(consumer), "COOPERATIVE") == 0;
  try {
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
      self->assign(partitions);
    } else {
      self->revoke(partitions);
    }
  } catch (...) {
    if (!self->callback_failure_)
      self->callback_failure_ = std::current_exception();
  }
  // librdkafka requires the (un)assign call whatever happened above.
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (cooperative) {
      kafka::ErrorPtr error(rd_kafka_incremental_assign(consumer, partitions));
    } else {
      rd_kafka_assign(consumer, partitions);
    }
  } else if (cooperative) {
    kafka::ErrorPtr error(rd_kafka_incremental_unassign(consumer, partitions));
  } else {
    rd_kafka_assign(consumer, nullptr);
  }
}

void SinkTask::assign(rd_kafka_topic_partition_list_t* partitions) {
  spdlog::info("[{}] assigned {}", name_, describe(*partitions));
  std::vector<rdc_topic_partition> opened = to_c_partitions(*partitions);
  const PluginCaller call = caller();
  // A sink that keeps its offsets in its destination needs it reachable to
  // say where to resume: wait for it rather than fail the task.
  retrier_.run(stop_, [&] {
    call("open", api().open, instance_, opened.data(), opened.size());
  });
  // A sink that keeps its own offsets says where to resume; the offset the
  // list carries is where the consumer starts (RDC_OFFSET_COMMITTED is
  // librdkafka's "use the committed offset").
  for (size_t i = 0; i < opened.size(); ++i) {
    partitions->elems[i].offset = opened[i].offset;
    if (opened[i].offset >= 0) {
      resume_offsets_[key_of(partitions->elems[i])] = opened[i].offset;
    }
  }
}

void SinkTask::revoke(rd_kafka_topic_partition_list_t* partitions) {
  const bool lost = rd_kafka_assignment_lost(consumer_.get());
  spdlog::info("[{}] {} {}", name_, lost ? "lost" : "revoked",
               describe(*partitions));
  std::set<TopicPartitionKey> revoked;
  for (int i = 0; i < partitions->cnt; ++i) {
    revoked.insert(key_of(partitions->elems[i]));
  }
  for (const TopicPartitionKey& key : revoked) resume_offsets_.erase(key);
  std::erase_if(collecting_, [&revoked](const kafka::MessagePtr& message) {
    return revoked.contains(
        {rd_kafka_topic_name(message->rkt), message->partition});
  });
  if (!lost && unflushed_records_ > 0) {
    // Flush before the partitions go, so the next owner starts after what
    // this task wrote. A stop request must not cut this short.
    std::stop_source never;
    flush_and_commit(never.get_token(), revoke_retrier_);
  }
  // Offsets of partitions that are gone must not be committed later.
  for (int i = 0; i < partitions->cnt; ++i)
    unflushed_.erase(key_of(partitions->elems[i]));
  std::vector<rdc_topic_partition> closed = to_c_partitions(*partitions);
  caller()("close", api().close, instance_, closed.data(), closed.size());
}

void SinkTask::rethrow_callback_failure() {
  if (callback_failure_) {
    std::exception_ptr failure = std::exchange(callback_failure_, nullptr);
    std::rethrow_exception(failure);
  }
}

}  // namespace rdconnect::runtime
