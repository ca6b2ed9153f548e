#include "file_source.hpp"

#include <algorithm>
#include <thread>

namespace file_source {
namespace {

// How often a poll() with nothing to read looks again, within its timeout.
constexpr auto kPollStep = std::chrono::milliseconds(50);

std::string position_path(const rdconnect::Config& config) {
  const std::string configured = config.string("position_file");
  return configured.empty() ? config.string("path") + ".position" : configured;
}

std::string describe(const Position& position) {
  return "byte " + std::to_string(position.byte) + " (after line " +
         std::to_string(position.line) + ")";
}

}  // namespace

FileSource::FileSource(const rdconnect::Config& config, rdconnect::Host host)
    : host_(host),
      path_(config.string("path")),
      position_path_(position_path(config)),
      reader_(path_, load_position(position_path_).value_or(Position{})),
      tracker_(reader_.position()),
      stored_(reader_.position()) {
  host_.info("reading '" + path_ + "' from " + describe(stored_));
}

FileSource::~FileSource() {
  host_.info("stopped at " + describe(tracker_.committed()) + " of '" + path_ +
             "'");
}

// Waits up to `timeout` for something to produce, in short steps: a poll
// that returns at once when idle would spin between host and plugin.
void FileSource::poll(rdconnect::SourceBatch& batch, size_t max_records,
                      std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    size_t added = resend_failed(batch, max_records);
    if (added < max_records) {
      added += read_new_lines(batch, max_records - added);
    }
    const auto now = std::chrono::steady_clock::now();
    if (added > 0 || now >= deadline) return;
    std::this_thread::sleep_for(
        std::min<std::chrono::nanoseconds>(kPollStep, deadline - now));
  }
}

size_t FileSource::resend_failed(rdconnect::SourceBatch& batch, size_t max) {
  size_t added = 0;
  for (const AckTracker::Entry& line : tracker_.take_failed(max)) {
    // The file is the buffer: a failed line is read from it again rather
    // than kept in memory while in flight.
    if (const auto text = reader_.reread(line.start, line.end)) {
      batch.add(std::to_string(line.number), *text, line.end);
      ++added;
    } else {
      host_.warn("line " + std::to_string(line.number) + " of '" + path_ +
                 "' failed delivery and can no longer be read (the file "
                 "was truncated); it is lost");
      tracker_.forget(line.end);
    }
  }
  if (tracker_.advance()) store_committed();  // a forgotten line may free it
  return added;
}

size_t FileSource::read_new_lines(rdconnect::SourceBatch& batch, size_t max) {
  if (!reader_.open()) {
    if (!logged_waiting_) host_.info("waiting for '" + path_ + "' to appear");
    logged_waiting_ = true;
    return 0;
  }
  size_t added = 0;
  while (added < max) {
    const std::optional<Line> line = reader_.next();
    if (!line) break;
    batch.add(std::to_string(line->number), line->text, line->end);
    tracker_.sent({line->start, line->end, line->number});
    ++added;
  }
  // Only at the end of what the file holds: a replaced file's old lines
  // (rotation) are read to the end first, through the open descriptor.
  if (added == 0) restart_if_truncated();
  return added;
}

void FileSource::restart_if_truncated() {
  if (!reader_.truncated_or_replaced()) return;
  // The lines in flight are identified by their end positions, which the
  // new file's lines will reuse: wait until all of them are reported.
  if (!tracker_.empty()) return;
  host_.warn("'" + path_ + "' is shorter than " + describe(reader_.position()) +
             " or was replaced: reading it again from the start");
  reader_.restart();
  tracker_.reset({});
  // Stored at once: after a crash, the old position would skip the start
  // of the new file.
  store_committed();
}

void FileSource::ack(std::span<const rdconnect::Delivery> deliveries) {
  size_t failed = 0;
  std::string latest_error;
  for (const rdconnect::Delivery& delivery : deliveries) {
    if (delivery.delivered) {
      tracker_.delivered(delivery.ack_id);
    } else {
      tracker_.failed(delivery.ack_id);
      ++failed;
      latest_error = delivery.error != nullptr ? delivery.error : "unknown";
    }
  }
  if (failed > 0) {
    host_.warn(std::to_string(failed) +
               " line(s) were not delivered and will be produced again "
               "(latest error: " +
               latest_error + ")");
  }
  tracker_.advance();
  store_committed();
}

// Compares with what is stored rather than with what advance() did: after
// a failed store (the host repeats ack()), the retry must store again.
void FileSource::store_committed() {
  const Position committed = tracker_.committed();
  if (committed.byte == stored_.byte && committed.line == stored_.line) return;
  store_position(position_path_, committed);
  stored_ = committed;
}

}  // namespace file_source
