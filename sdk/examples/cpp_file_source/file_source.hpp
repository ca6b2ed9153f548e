// file_source: tails a file and produces each line as a record.
#pragma once

#include <chrono>
#include <span>
#include <string>

#include <rdconnect/plugin.hpp>

#include "ack_tracker.hpp"
#include "line_reader.hpp"

namespace file_source {

/// Produces each complete line of a file as a record: key = the line
/// number (1, 2, ...) as decimal text, value = the line without its '\n'.
/// ack_id = the byte position just after the line.
///
/// Delivery guarantees, through the position file (BYTE LINE, replaced
/// atomically whenever the committed position moves in ack()):
/// - A clean stop neither loses nor repeats a line: the host reports every
///   delivery in a last ack() before destroy(), so the stored position is
///   exactly the end of the delivered lines.
/// - A crash repeats at most the lines that were in flight (produced but
///   not yet reported, or reported by an ack() that the crash cut short):
///   they are after the stored position and are read again. It loses none.
///   A repeated line comes with the same key, so a consumer can drop it.
class FileSource : public rdconnect::Source {
 public:
  FileSource(const rdconnect::Config& config, rdconnect::Host host);
  ~FileSource() override;

  void poll(rdconnect::SourceBatch& batch, size_t max_records,
            std::chrono::milliseconds timeout) override;
  void ack(std::span<const rdconnect::Delivery> deliveries) override;

 private:
  size_t resend_failed(rdconnect::SourceBatch& batch, size_t max);
  size_t read_new_lines(rdconnect::SourceBatch& batch, size_t max);
  void restart_if_truncated();
  void store_committed();

  rdconnect::Host host_;
  std::string path_;
  std::string position_path_;
  LineReader reader_;
  AckTracker tracker_;
  // What the position file holds.
  Position stored_;
  bool logged_waiting_ = false;
};

}  // namespace file_source
