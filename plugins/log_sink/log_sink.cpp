#include "log_sink.hpp"

#include "json_line.hpp"
#include "text_line.hpp"

namespace rdconnect::log_sink {
namespace {

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
  lines_.clear();
  for (const Record& record : records) append_line(record);
  file_->append(lines_);
}

void LogSink::flush() { file_->flush(); }

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
