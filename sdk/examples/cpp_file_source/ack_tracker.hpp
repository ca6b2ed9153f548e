// Which lines are in flight, and how far the file is safely delivered.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "position.hpp"

namespace file_source {

/// Tracks the lines between the committed position and the read position.
///
/// Delivery reports arrive in the order the brokers acknowledged them, and
/// records on different partitions are acknowledged independently, so line
/// 7 may be reported before line 5. The committed position therefore only
/// moves over the contiguous prefix of delivered lines: past line 5 once
/// lines 5, 6 and 7 are all delivered, and no further than the first line
/// still in flight. Everything before the committed position is in Kafka.
///
/// A line whose delivery failed stays in flight (it holds the committed
/// position back) and is handed out again by take_failed(), so that it is
/// produced again; lines after it are not produced twice for it. It then
/// lands after them, out of file order.
class AckTracker {
 public:
  /// One line in flight; `end` (the byte after it) is its ack_id.
  struct Entry {
    uint64_t start;
    uint64_t end;
    uint64_t number;
  };

  explicit AckTracker(Position committed) : committed_(committed) {}

  /// A line was handed to the host. Lines come in file order.
  void sent(const Entry& line);
  /// The delivery report of the line ending at `end`. Reports for lines not
  /// in flight (from before a restart of the file) are ignored.
  void delivered(uint64_t end);
  void failed(uint64_t end);

  /// Moves the committed position over the delivered prefix; true when it
  /// moved.
  bool advance();

  /// The failed lines to produce again (each is in flight again once
  /// taken), at most `max` of them.
  std::vector<Entry> take_failed(size_t max);
  /// Stops tracking the line ending at `end` (a failed line that can no
  /// longer be read), so that it holds the committed position back no more.
  void forget(uint64_t end);
  /// Nothing is in flight: every line sent is delivered and committed.
  bool empty() const { return in_flight_.empty(); }

  Position committed() const { return committed_; }
  /// Starts over at `position`; nothing may be in flight.
  void reset(Position position) { committed_ = position; }

 private:
  enum class State { kSent, kDelivered, kFailed };
  struct Tracked {
    Entry line;
    State state;
  };

  Position committed_;
  // By end position, which is file order.
  std::map<uint64_t, Tracked> in_flight_;
  size_t failed_count_ = 0;
};

}  // namespace file_source
