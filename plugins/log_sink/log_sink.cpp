#include "log_sink.hpp"

#include "json_line.hpp"
#include "text_line.hpp"

namespace rdconnect::log_sink {
namespace {

// Big enough that a write system call carries thousands of lines.
constexpr size_t kWriteThresholdBytes = 1 << 20;

// "orders[0], orders[3]".
std::string describe(std::span<const TopicPartition> partitions) {
  std::string text;
  for (const TopicPartition& partition : partitions) {
    if (!text.empty()) text.append(", ");
    text.append(partition.topic)
        .append("[")
        .append(std::to_string(partition.partition))
        .append("]");
  }
  return text;
}

}  // namespace

LogSink::LogSink(const Config& config, Host host)
    : options_(parse_log_sink_options(config)),
      host_(host),
      file_(SharedFile::open(options_.path, options_.rotation,
                             options_.file_mode)) {}

void LogSink::open(std::span<TopicPartition> partitions) {
  host_.debug("writing to '" + options_.path + "' for assigned partitions " +
              describe(partitions));
}

void LogSink::put(const Records& records) {
  // Lines buffered past the limit are written before this batch's, and a
  // failed write leaves the batch untaken, so a repeated put() adds it once.
  if (lines_.size() >= kWriteThresholdBytes) write_lines();
  for (const Record& record : records) append_line(record);
}

void LogSink::flush() {
  write_lines();
  file_->sync();
}

void LogSink::write_lines() {
  std::string_view pending = lines_;
  try {
    file_->write(pending);
  } catch (...) {
    lines_.erase(0, lines_.size() - pending.size());
    throw;
  }
  lines_.clear();
}

void LogSink::close(std::span<const TopicPartition> partitions) {
  host_.debug("partitions revoked: " + describe(partitions));
}

void LogSink::append_line(const Record& record) {
  switch (options_.format) {
    case LineFormat::kJson:
      append_json_line(record, lines_);
      return;
    case LineFormat::kText:
      append_text_line(record, lines_);
      return;
  }
}

}  // namespace rdconnect::log_sink
