// jsonl_sink: appends records to a file as JSON lines, exactly once.
#pragma once

#include <span>
#include <string>

#include <rdconnect/plugin.hpp>

#include "data_file.hpp"
#include "offset_state.hpp"

namespace jsonl_sink {

/// Exactly once without a transaction: the sink keeps its own offsets in a
/// state file beside the data, and hands them to the host from open().
///
///   flush():  write + fsync the lines, then replace the state file
///             (data length, next offset per partition) atomically.
///   create(): cut the data file back to the recorded length, which drops
///             the lines written after the last good flush.
///   open():   resume each partition at its recorded next offset.
///
/// The state file is the commit point: a crash before its rename leaves the
/// old state, whose length cuts off the new lines and whose offsets make
/// the host deliver those records again; a crash after it leaves the new
/// state. Either way each record is in the file once. The offsets the host
/// commits to Kafka are only a fallback for partitions the file never saw.
class JsonlSink : public rdconnect::Sink {
 public:
  JsonlSink(const rdconnect::Config& config, rdconnect::Host host);

  void open(std::span<rdconnect::TopicPartition> partitions) override;
  void put(const rdconnect::Records& records) override;
  void flush() override;
  // close() keeps the default (nothing): a partition's offset stays in the
  // state file after it is revoked, because a later flush rewrites the
  // whole file, and the partition may come back to this file later.

 private:
  void recover();
  void write_buffer();

  rdconnect::Host host_;
  std::string state_path_;
  DataFile file_;
  // As of the last good flush (or recovery).
  OffsetState durable_;
  // durable_.next_offsets advanced over every record put since.
  decltype(OffsetState::next_offsets) next_offsets_;
  // Lines written past durable_.data_length but not synced yet.
  uint64_t unsynced_bytes_ = 0;
  // Lines put but not written yet.
  std::string buffer_;
};

}  // namespace jsonl_sink
