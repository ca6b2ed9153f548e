// The host's own life under pressure: a stop request while the cluster is
// unreachable at start-up, a shutdown that cannot finish, a sink that can
// never be created, and a source whose topic loses partitions under it.
// Each must end promptly with exit code 1 and say why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <vector>

#include "host_fixture.hpp"
#include "kafka_records.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::filesystem::path fixture_directory() { return RDCONNECT_FIXTURE_DIR; }

class LifecycleFaultTest : public HostTest {
 protected:
  // A fault_sink connector named `name` in `mode` reading topic_.
  std::string fault_sink(const std::string& name, const std::string& mode,
                         const std::string& restart = "") const {
    return "[[sink]]\nname = \"" + name +
           "\"\nplugin = \"fault_sink\"\ntopics = [\"" + topic_ +
           "\"]\ngroup_id = \"" + unique_name("g") +
           "\"\nflush_interval_ms = 100\n" + restart +
           "[sink.config]\nmode = \"" + mode + "\"\nout = \"" +
           (scratch_.path() / (name + ".out")).string() + "\"\n";
  }

  std::unique_ptr<ChildProcess> start(const std::string& toml,
                                      std::vector<std::string> args = {}) {
    args.insert(args.begin(), {"--plugin-path", fixture_directory().string()});
    return start_host(write_config(unique_name("c") + ".toml", toml), args);
  }

  std::string topic_ = unique_name("life");
};

// Nothing answers on the bootstrap address, so start-up keeps retrying its
// metadata request; SIGTERM must end that at once, not after the minute of
// start-up retries (nor the 30 s of one admin call).
TEST_F(LifecycleFaultTest, SigtermDuringStartUpEndsItAtOnce) {
  auto host = start("[kafka]\n\"bootstrap.servers\" = \"127.0.0.1:1\"\n" +
                    fault_sink("unreachable", "none"));
  // The host is up once it has parsed the config and logs librdkafka's
  // first connection failure.
  ASSERT_TRUE(wait_for(
      [&] {
        return host->stderr_text().find("127.0.0.1:1") != std::string::npos;
      },
      20s))
      << host->stderr_tail();
  host->send_signal(SIGTERM);
  const auto asked = std::chrono::steady_clock::now();
  ASSERT_EQ(host->wait(10s), std::optional<int>(1)) << host->stderr_tail();
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s);
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("stopped during start-up, before any connector ran"));
}

// close() never returns, so the sink cannot leave its group: shutdown ends
// at host.shutdown_timeout_ms with exit code 1, naming what it waited for.
TEST_F(LifecycleFaultTest, AShutdownThatCannotFinishEndsAtItsDeadline) {
  create_topic(topic_, 1);
  std::vector<KafkaRecord> records = {
      {.partition = 0, .key = "k", .value = "v", .headers = {}}};
  produce_records(topic_, records);
  auto host =
      start(std::string(kConfigPrelude) + "shutdown_timeout_ms = 2000\n" +
                fault_sink("stuck", "block_close"),
            {"--until-caught-up"});
  ASSERT_EQ(host->wait(60s), std::optional<int>(1)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("shutdown did not finish within "
                        "host.shutdown_timeout_ms = 2000 ms; it was still "
                        "stopping sink 'stuck'"));
}

// A sink whose create() always fails is never caught up, whatever its
// group's lag says, and a run stopped while it waits for a restart ends 1.
TEST_F(LifecycleFaultTest, ASinkThatCannotBeCreatedIsNeverCaughtUp) {
  create_topic(topic_, 1);
  auto host = start(std::string(kConfigPrelude) +
                        fault_sink("broken", "fail_create",
                                   "[sink.restart]\nmax_restarts = 1000\n"
                                   "initial_delay_ms = 100\n"
                                   "max_delay_ms = 200\n"),
                    {"--until-caught-up"});
  ASSERT_TRUE(wait_for(
      [&] {
        return host->stderr_text().find("(restart 4 of 1000)") !=
               std::string::npos;
      },
      30s))
      << host->stderr_tail();
  // Several caught-up checks (one a second) have passed by now.
  EXPECT_EQ(host->wait(0ms), std::nullopt) << host->stderr_tail();
  host->send_signal(SIGTERM);
  ASSERT_EQ(host->wait(30s), std::optional<int>(1)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("sink 'broken' FAILED: plugin 'fault_sink' create(): "
                        "fault_sink: cannot be created"));
}

// uuid_mod routes by the partition count the source started with; when the
// topic is deleted and comes back with one partition, the source stops for
// good rather than route by a count that is no longer true.
TEST_F(LifecycleFaultTest, ASourceStopsWhenItsTopicLosesPartitions) {
  auto host = start(std::string(kConfigPrelude) +
                    "[[source]]\nname = \"gen\"\nplugin = \"uuid_source\"\n"
                    "topic = \"" +
                    topic_ +
                    "\"\npartitioner = \"uuid_mod\"\n"
                    "[source.topic_creation]\npartitions = 2\n"
                    "[source.config]\ncount = 0\nrate = 200\n");
  ASSERT_TRUE(wait_for(
      [&] {
        return host->stderr_text().find("source gen RUNNING records=") !=
               std::string::npos;
      },
      30s))
      << host->stderr_tail();
  delete_topic(topic_);
  // Brokers learn of the deletion one by one, and the running producer may
  // have the broker auto-create the topic (with one partition) first.
  ASSERT_TRUE(wait_for(
      [&] {
        try {
          create_topic(topic_, 1);
          return true;
        } catch (const std::exception&) {
          return false;
        }
      },
      30s));
  ASSERT_EQ(host->wait(60s), std::optional<int>(1)) << host->stderr_tail();
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("topic '" + topic_ +
                        "' now has 1 partition(s), but the source was started "
                        "with 2"));
  EXPECT_THAT(host->stderr_text(),
              HasSubstr("source FAILED (a restart cannot help)"));
}

}  // namespace
}  // namespace rdconnect::testing
