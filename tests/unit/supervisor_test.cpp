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
  // The failures are permanent (a restart cannot help).
  bool permanent = false;
  // Records each incarnation delivers before it fails.
  uint64_t progress = 0;
  // The current incarnation's status, for failures the test makes later.
  std::atomic<ConnectorStatus*> status{nullptr};
};

class FakeConnector : public Connector {
 public:
  FakeConnector(Script& script, ConnectorStatus& status)
      : script_(script), status_(status), incarnation_(++script.started) {}
  void start() override {
    status_.set_state(ConnectorState::running);
    script_.status = &status_;
    status_.metrics.records.fetch_add(script_.progress);
    if (incarnation_ <= script_.failures) {
      status_.fail("incarnation " + std::to_string(incarnation_) + " broke",
                   script_.permanent);
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

// A failure that shows only after the connector ran for longer than
// max_delay_ms must still count: staying alive is not progress.
TEST(ConnectorSupervisorTest, FailuresThatTakeLongToShowStillUseUpTheRestarts) {
  Script script;
  ConnectorSupervisor supervisor = supervisor_for(script, fast_restarts(2));
  supervisor.start();
  int failed = 0;
  ASSERT_TRUE(wait_for(
      [&] {
        supervisor.supervise();
        if (supervisor.ended()) return true;
        const auto up_since = std::chrono::steady_clock::now();
        // Running longer than max_delay_ms (4 ms) before each failure.
        if (supervisor.status().state() == ConnectorState::running &&
            failed < script.started &&
            wait_for(
                [&] {
                  return std::chrono::steady_clock::now() - up_since > 20ms;
                },
                1s)) {
          script.status.load()->fail("late failure");
          ++failed;
        }
        return false;
      },
      5s));
  EXPECT_EQ(script.started, 3);  // the first start and two restarts
  EXPECT_EQ(supervisor.status().state(), ConnectorState::failed);
}

TEST(ConnectorSupervisorTest, ProgressMakesAConnectorHealthyAgain) {
  Script script;
  script.failures = 6;
  script.progress = 10;
  ConnectorSupervisor supervisor = supervisor_for(script, fast_restarts(2));
  supervisor.start();
  ASSERT_TRUE(wait_for(
      [&] {
        supervisor.supervise();
        return script.started == 7 &&
               supervisor.status().state() == ConnectorState::running;
      },
      5s));
  EXPECT_FALSE(supervisor.ended());
  EXPECT_EQ(supervisor.status().metrics.restarts.load(), 6u);
}

TEST(ConnectorSupervisorTest, APermanentFailureGivesUpAtOnce) {
  Script script;
  script.failures = 1;
  script.permanent = true;
  ConnectorSupervisor supervisor = supervisor_for(script, fast_restarts(5));
  supervisor.start();
  supervisor.supervise();
  EXPECT_TRUE(supervisor.ended());
  EXPECT_EQ(script.started, 1);
  EXPECT_TRUE(supervisor.status().failed_permanently());
}

// A run that ends while a connector waits for its restart did not finish
// its work.
TEST(ConnectorSupervisorTest, StoppingWhileWaitingForARestartEndsFailed) {
  Script script;
  script.failures = 1;
  config::RestartPolicy policy = fast_restarts(5);
  policy.initial_delay_ms = 60000;
  ConnectorSupervisor supervisor = supervisor_for(script, policy);
  supervisor.start();
  supervisor.supervise();
  ASSERT_EQ(supervisor.status().state(), ConnectorState::restarting);
  supervisor.request_stop();
  supervisor.join();
  EXPECT_EQ(supervisor.status().state(), ConnectorState::failed);
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
  EXPECT_EQ(metrics.record_errors_by_stage[record_stage_index("plugin")], 1u);
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
  EXPECT_EQ(metrics.record_errors_by_stage[record_stage_index("size")], 2u);
  EXPECT_EQ(metrics.record_errors_by_stage[record_stage_index("plugin")], 0u);
  EXPECT_EQ(metrics.dead_lettered.load(), 0u);
}

// The stages the host fails records at are the ones the metrics name.
TEST(RecordStageTest, EveryStageTheHostNamesIsKnownAndOfOneKind) {
  for (std::string_view stage :
       {"plugin", "size", "convert", "encode", "partitioner", "produce"}) {
    ASSERT_LT(record_stage_index(stage), kRecordStages.size()) << stage;
  }
  EXPECT_EQ(record_stage_index("elsewhere"), kRecordStages.size());
  for (const RecordStage& stage : kRecordStages) {
    EXPECT_TRUE(stage.kind == "sink" || stage.kind == "source") << stage.name;
  }
}

}  // namespace
}  // namespace rdconnect::runtime
