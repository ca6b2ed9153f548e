// JoinOrder: the tasks after the first wait for it to join, for a stop, or
// for their limit, whichever comes first.
#include <atomic>
#include <chrono>
#include <future>
#include <stop_token>

#include <gtest/gtest.h>

#include "runtime/join_order.hpp"

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;

// Waits in a thread of its own, with a limit no test reaches.
std::future<void> wait_in_thread(JoinOrder& order, std::stop_token stop) {
  return std::async(std::launch::async,
                    [&order, stop] { order.wait_for_first(stop, 1h); });
}

TEST(JoinOrderTest, TheOthersWaitUntilTheFirstHasJoined) {
  JoinOrder order;
  std::stop_source stop;
  std::future<void> waiting = wait_in_thread(order, stop.get_token());
  EXPECT_EQ(waiting.wait_for(50ms), std::future_status::timeout);
  order.first_joined();
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

TEST(JoinOrderTest, AWaitAfterTheFirstJoinedReturnsAtOnce) {
  JoinOrder order;
  order.first_joined();
  order.first_joined();
  std::stop_source stop;
  EXPECT_EQ(wait_in_thread(order, stop.get_token()).wait_for(30s),
            std::future_status::ready);
}

TEST(JoinOrderTest, AStopEndsTheWait) {
  JoinOrder order;
  std::stop_source stop;
  std::future<void> waiting = wait_in_thread(order, stop.get_token());
  stop.request_stop();
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

TEST(JoinOrderTest, TheLimitEndsTheWait) {
  JoinOrder order;
  std::stop_source stop;
  std::future<void> waiting = std::async(std::launch::async, [&] {
    order.wait_for_first(stop.get_token(), 10ms);
  });
  EXPECT_EQ(waiting.wait_for(30s), std::future_status::ready);
}

}  // namespace
}  // namespace rdconnect::runtime
