// ConnectorSupervisor and RecordFailures on their own: restarts with
// backoff, giving up, blocked calls, and the error policy — with a fake
// connector, no Kafka.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "child_process.hpp"
#include "runtime/call_watch.hpp"
#include "runtime/connector_supervisor.hpp"
#include "runtime/record_failures.hpp"

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::wait_for;

/// Fails `failures` incarnations right after start; later ones run.
struct Script {
  std::atomic<int> started{0};
  int failures = 0;
  bool block = false;
};

class FakeConnector : public Connector {
 public:
  FakeConnector(Script& script, ConnectorStatus& status)
      : script_(script), status_(status), incarnation_(++script.started) {}
  void start() override {
    status_.set_state(ConnectorState::running);
    if (incarnation_ <= script_.failures) {
      status_.fail("incarnation " + std::to_string(incarnation_) + " broke");
    }
    if (script_.block && incarnation_ == 1)
      watch_scope_.emplace(watch_, "flush");
  }
  void request_stop() override {}
  void join() override {
    if (status_.state() == ConnectorState::running) {
      status_.set_state(ConnectorState::stopped);
    }
  }
  std::optional<std::string> blocked_call(
      std::chrono::milliseconds limit) const override {
    return watch_.running_longer_than(limit);
  }

 private:
  Script& script_;
  ConnectorStatus& status_;
  int incarnation_;
  mutable CallWatch watch_;
  std::optional<CallWatch::Scope> watch_scope_;
};

config::RestartPolicy fast_restarts(int max_restarts) {
  config::RestartPolicy policy;
  policy.max_restarts = max_restarts;
  policy.initial_delay_ms = 1;
  policy.max_delay_ms = 4;
  return policy;
}

ConnectorSupervisor supervisor_for(
    Script& script, config::RestartPolicy policy,
    std::chrono::milliseconds call_timeout = 60s) {
  return ConnectorSupervisor(
      "c", "sink", policy, call_timeout, [&script](ConnectorStatus& status) {
        return std::make_unique<FakeConnector>(script, status);
      });
}

TEST(ConnectorSupervisorTest, RestartsAFailedConnectorUntilItRuns) {
  Script script;
  script.failures = 2;
  ConnectorSupervisor supervisor = supervisor_for(script, fast_restarts(5));
  supervisor.start();
  ASSERT_TRUE(wait_for(
      [&] {
        supervisor.supervise();
        return supervisor.status().state() == ConnectorState::running &&
               script.started == 3;
      },
      5s));
  EXPECT_EQ(supervisor.status().metrics.restarts.load(), 2u);
  EXPECT_EQ(supervisor.status().failure_reason(), "incarnation 2 broke");
  EXPECT_FALSE(supervisor.ended());
}

TEST(ConnectorSupervisorTest, GivesUpAfterMaxRestartsInARow) {
  Script script;
  script.failures = 100;
  ConnectorSupervisor supervisor = supervisor_for(script, fast_restarts(3));
  supervisor.start();
  ASSERT_TRUE(wait_for(
      [&] {
        supervisor.supervise();
        return supervisor.ended();
      },
      5s));
  EXPECT_EQ(script.started, 4);  // the first start and three restarts
  EXPECT_EQ(supervisor.status().state(), ConnectorState::failed);
  EXPECT_EQ(supervisor.status().metrics.restarts.load(), 3u);
}

TEST(ConnectorSupervisorTest, DisabledRestartsLeaveItFailed) {
  Script script;
  script.failures = 1;
  config::RestartPolicy policy = fast_restarts(3);
  policy.enabled = false;
  ConnectorSupervisor supervisor = supervisor_for(script, policy);
  supervisor.start();
  supervisor.supervise();
  EXPECT_TRUE(supervisor.ended());
  EXPECT_EQ(script.started, 1);
}

TEST(ConnectorSupervisorTest, ABlockedCallFailsAndRestartsTheConnector) {
  Script script;
  script.block = true;
  ConnectorSupervisor supervisor =
      supervisor_for(script, fast_restarts(3), 20ms);
  supervisor.start();
  ASSERT_TRUE(wait_for(
      [&] {
        supervisor.supervise();
        return script.started == 2 &&
               supervisor.status().state() == ConnectorState::running;
      },
      5s));
  EXPECT_THAT(supervisor.status().failure_reason(),
              HasSubstr("plugin call flush() of sink 'c' has not returned "
                        "after 20 ms"));
}

TEST(RecordFailuresTest, ToleranceNoneStopsWithTheRecordsCoordinates) {
  ConnectorMetrics metrics;
  RecordFailures failures("c#0", config::ErrorTolerance::none, nullptr,
                          metrics);
  const FailedRecord record{.origin_topic = "users",
                            .origin_partition = 1,
                            .origin_offset = 42,
                            .stage = "plugin",
                            .error_class = "RecordError",
                            .message = "not JSON"};
  const std::optional<std::string> stop = failures.handle(record);
  ASSERT_TRUE(stop.has_value());
  EXPECT_EQ(*stop,
            "users[1]@42 failed at stage plugin (RecordError): not JSON");
  EXPECT_EQ(metrics.record_errors.load(), 1u);
}

TEST(RecordFailuresTest, ToleranceAllWithoutDeadLetterTopicGoesOn) {
  ConnectorMetrics metrics;
  RecordFailures failures("c#0", config::ErrorTolerance::all, nullptr, metrics);
  const FailedRecord record{.origin_topic = "users",
                            .origin_partition = 0,
                            .origin_offset = 7,
                            .stage = "size",
                            .error_class = "RecordTooLarge",
                            .message = "too big"};
  EXPECT_EQ(failures.handle(record), std::nullopt);
  EXPECT_EQ(failures.handle(record), std::nullopt);
  EXPECT_EQ(metrics.record_errors.load(), 2u);
  EXPECT_EQ(metrics.dead_lettered.load(), 0u);
}

}  // namespace
}  // namespace rdconnect::runtime
