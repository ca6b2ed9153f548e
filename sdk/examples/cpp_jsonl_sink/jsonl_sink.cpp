#include "jsonl_sink.hpp"

#include "json_line.hpp"

namespace jsonl_sink {
namespace {

// Bounds the memory between two flushes; a write of this size carries
// thousands of lines.
constexpr size_t kWriteThresholdBytes = 1 << 20;

}  // namespace

JsonlSink::JsonlSink(const rdconnect::Config& config, rdconnect::Host host)
    : host_(host),
      state_path_(config.string("path") + ".offsets"),
      file_(config.string("path")) {
  recover();
  next_offsets_ = durable_.next_offsets;
}

void JsonlSink::recover() {
  const uint64_t size = file_.size();
  std::optional<OffsetState> state = load_offset_state(state_path_);
  if (!state) {
    // First run: what the file holds already is not ours to judge, so it
    // stays, and is recorded at once; otherwise a crash before the first
    // flush would leave lines no state file could tell apart from it.
    durable_.data_length = size;
    save_offset_state(state_path_, durable_);
    return;
  }
  if (size < state->data_length) {
    // Lines that were flushed are gone: someone else cut the file. Going on
    // would resume after records that are no longer there.
    throw std::runtime_error("the data file holds " + std::to_string(size) +
                             " bytes but '" + state_path_ + "' recorded " +
                             std::to_string(state->data_length) +
                             "; remove the state file to start over");
  }
  if (size > state->data_length) {
    host_.info("dropping " + std::to_string(size - state->data_length) +
               " byte(s) written after the last flush; their records come "
               "again");
    file_.truncate(state->data_length);
  }
  durable_ = std::move(*state);
}

void JsonlSink::open(std::span<rdconnect::TopicPartition> partitions) {
  for (rdconnect::TopicPartition& partition : partitions) {
    const auto known =
        next_offsets_.find({partition.topic, partition.partition});
    // Unknown partitions keep RDC_OFFSET_COMMITTED: the consumer group's
    // offset (or auto.offset.reset) decides where they start.
    if (known != next_offsets_.end()) partition.offset = known->second;
  }
}

void JsonlSink::put(const rdconnect::Records& records) {
  // Written before this batch is taken, so that a failed write (a retry of
  // this put) leaves none of the batch behind to be added twice.
  if (buffer_.size() >= kWriteThresholdBytes) write_buffer();
  for (const rdconnect::Record& record : records) {
    auto [next, added] = next_offsets_.try_emplace(
        {std::string(record.topic()), record.partition()}, 0);
    // Already in the file: the host seeks to the offsets open() gave, so
    // this only guards against a redelivery the host did not plan.
    if (!added && record.offset() < next->second) continue;
    if (const auto bad_field = append_json_line(record, buffer_)) {
      // Per-record failure: the host dead-letters (or skips) it and the
      // rest of the batch goes on. It throws when the error policy cannot
      // take the record; then put() fails and nothing is made durable.
      host_.record_failed(record,
                          "the record's " + *bad_field +
                              " is not valid UTF-8, which JSON cannot hold");
    }
    // Past it either way: the record is written or was taken by the host.
    next->second = record.offset() + 1;
  }
}

void JsonlSink::write_buffer() {
  file_.write_at(durable_.data_length + unsynced_bytes_, buffer_);
  unsynced_bytes_ += buffer_.size();
  buffer_.clear();
}

// Each step can be repeated after a failure (the host retries flush()):
// writes go to fixed positions, and the state names only synced bytes.
void JsonlSink::flush() {
  write_buffer();
  file_.sync();
  OffsetState next{durable_.data_length + unsynced_bytes_, next_offsets_};
  save_offset_state(state_path_, next);
  durable_ = std::move(next);
  unsynced_bytes_ = 0;
}

}  // namespace jsonl_sink
