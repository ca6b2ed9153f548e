// Retrier: retriable failures are retried and counted, others are not.
#include <gtest/gtest.h>

#include "runtime/retry.hpp"

namespace rdconnect::runtime {
namespace {

config::ErrorPolicy quick_policy() {
  config::ErrorPolicy policy;
  policy.retry_timeout_ms = 10000;
  policy.retry_max_delay_ms = 1;
  return policy;
}

TEST(RetrierTest, CountsEachRetryOfARetriableFailure) {
  std::atomic<uint64_t> retries{0};
  const Retrier retrier("test", quick_policy(), &retries);
  int attempts = 0;
  const int result = retrier.run(std::stop_token(), [&] {
    if (++attempts < 3) throw Error::retriable("busy");
    return 7;
  });
  EXPECT_EQ(result, 7);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(retries.load(), 2u);
}

TEST(RetrierTest, AFatalFailureIsNotRetriedNorCounted) {
  std::atomic<uint64_t> retries{0};
  const Retrier retrier("test", quick_policy(), &retries);
  int attempts = 0;
  EXPECT_THROW(retrier.run(std::stop_token(),
                           [&] {
                             ++attempts;
                             throw Error::fatal("broken");
                           }),
               Error);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(retries.load(), 0u);
}

}  // namespace
}  // namespace rdconnect::runtime
