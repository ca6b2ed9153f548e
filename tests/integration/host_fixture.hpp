// What every integration test needs: a scratch directory, unique topic and
// group names, and a way to run the rdconnect binary on a config.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "kafka_records.hpp"
#include "kafka_test_cluster.hpp"
#include "test_paths.hpp"

namespace rdconnect::testing {

/// One line of log_sink's json format, as the tests need it.
struct LoggedRecord {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
};

/// Parse log_sink json lines; fails the test on a malformed line.
std::vector<LoggedRecord> parse_log(const std::vector<std::string>& lines);

/// The start of every test config: the cluster from KAFKA_BOOTSTRAP and a
/// status line every second.
inline constexpr const char* kConfigPrelude =
    "[kafka]\n\"bootstrap.servers\" = \"${env:KAFKA_BOOTSTRAP}\"\n"
    "[host]\nstatus_interval_ms = 1000\n";

/// A [[source]] "uuids" running uuid_source: `count` records (0: forever)
/// at `rate` a second (0: as fast as it can) into `topic`, created with 2
/// partitions.
std::string uuid_source_toml(const std::string& topic, int64_t count,
                             int64_t rate);

/// (partition, offset) pairs, to compare a log with the topic exactly.
using Coordinates = std::multiset<std::pair<int32_t, int64_t>>;
Coordinates coordinates(const std::vector<LoggedRecord>& records);
Coordinates coordinates(const std::vector<KafkaRecord>& records);

/// The port of the control API `host` logs it listens on (after
/// --http-listen 127.0.0.1:0), waiting up to 30 s; 0 (and a test failure)
/// when it never says.
int wait_for_http_port(const ChildProcess& host);

/// Runs scripts/services.sh with `args` (stop-broker 2, start-registry,
/// ...); the test fails if it does.
void services(const std::string& args);

class HostTest : public ::testing::Test {
 protected:
  HostTest();

  /// Write `toml` as a config file in the scratch directory.
  std::filesystem::path write_config(const std::string& name,
                                     const std::string& toml);

  /// Start `rdconnect run CONFIG [extra args]` with KAFKA_BOOTSTRAP set and
  /// `env` added.
  std::unique_ptr<ChildProcess> start_host(
      const std::filesystem::path& config,
      std::vector<std::string> extra_args = {},
      std::map<std::string, std::string> env = {});

  /// Run to completion with --until-caught-up; the exit code must be 0.
  void run_until_caught_up(const std::filesystem::path& config,
                           std::map<std::string, std::string> env = {});

  ScratchDirectory scratch_{"rdconnect-it"};
  std::string bootstrap_;
  int runs_ = 0;
};

}  // namespace rdconnect::testing
