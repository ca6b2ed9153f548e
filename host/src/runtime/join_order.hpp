// The order in which a sink connector's tasks join their consumer group:
// the first alone, the others once it holds partitions.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace rdconnect::runtime {

/// Why: tasks that join a new group together form it twice. The
/// coordinator completes a generation with whichever JoinGroup came first,
/// the second starts another, and librdkafka rejoins only a second or two
/// later, so nothing is written for ~2 s (bench/RESULTS.md). The first
/// task alone forms the group at once and writes every partition; the
/// others then join a cooperative rebalance, which leaves its partitions
/// flowing until some move to them.
///
/// Thread-safe: the tasks' threads call it.
class JoinOrder {
 public:
  /// Lets the others join: the first task has its first assignment, or it
  /// ended without one. Later calls do nothing.
  void first_joined();

  /// Until first_joined(), `stop`, or `limit` has passed: a first task that
  /// cannot join (no broker yet) must not keep the others out for good.
  void wait_for_first(std::stop_token stop, std::chrono::milliseconds limit);

 private:
  std::mutex mutex_;
  std::condition_variable_any joined_changed_;
  bool joined_ = false;
};

}  // namespace rdconnect::runtime
