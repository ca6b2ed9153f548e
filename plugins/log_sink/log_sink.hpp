// log_sink: a sink that writes one line per record to a file or stdout, for
// debugging and demos.
#pragma once

#include <memory>
#include <span>
#include <string>

#include <rdconnect/plugin.hpp>

#include "log_sink_options.hpp"
#include "shared_file.hpp"

namespace rdconnect::log_sink {

/// Writes each record as a line (see append_json_line and append_text_line)
/// to a file or standard output. flush() makes the lines durable before the
/// host commits their offsets; instances of one process writing to the same
/// path share the file safely (see SharedFile).
class LogSink : public Sink {
 public:
  /// Throws std::invalid_argument for an invalid option, std::runtime_error
  /// when the file cannot be opened.
  LogSink(const Config& config, Host host);

  void open(std::span<TopicPartition> partitions) override;
  void put(const Records& records) override;
  void flush() override;
  void close(std::span<const TopicPartition> partitions) override;

 private:
  void append_line(const Record& record);
  void write_lines();

  LogSinkOptions options_;
  Host host_;
  std::shared_ptr<SharedFile> file_;
  // Lines put but not written yet. Dropped with the instance: a task that
  // failed makes nothing durable after it failed.
  std::string lines_;
};

}  // namespace rdconnect::log_sink
