// uuid_source → Kafka → postgres_sink through the rdconnect binary, on the
// real broker and the real PostgreSQL: the table equals the compacted topic,
// and crashes, server restarts and concurrent start-ups neither lose nor
// double a record.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "host_fixture.hpp"
#include "postgres_test_db.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;

struct PostgresPipeline {
  std::string topic;
  std::string schema;
  std::string table = "users";
  std::string group;
  std::string mode = "upsert";
  std::string layout = "jsonb";
  int partitions = 2;
  int tasks = 2;
  int64_t count = 5000;
  int64_t keys = 0;
  int64_t tombstone_every = 0;
  bool with_source = true;
  bool with_sink = true;

  std::string toml() const {
    std::string text =
        "[kafka]\n\"bootstrap.servers\" = \"${env:KAFKA_BOOTSTRAP}\"\n"
        "[host]\nstatus_interval_ms = 1000\n";
    if (with_source) {
      text +=
          "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
          "topic = \"" +
          topic +
          "\"\npartitioner = \"uuid_mod\"\n"
          "[source.topic_creation]\npartitions = " +
          std::to_string(partitions) +
          "\nconfigs = { \"cleanup.policy\" = \"compact\" }\n"
          "[source.config]\ncount = " +
          std::to_string(count) + "\nkeys = " + std::to_string(keys) +
          "\ntombstone_every = " + std::to_string(tombstone_every) + "\n";
    }
    if (with_sink) {
      text +=
          "[[sink]]\nname = \"pg\"\nplugin = \"postgres_sink\"\n"
          "topics = [\"" +
          topic + "\"]\ngroup_id = \"" + group +
          "\"\ntasks = " + std::to_string(tasks) +
          "\nflush_interval_ms = 200\n"
          // A killed host's consumers are only noticed when their session
          // times out; the broker's minimum keeps the restarts quick.
          "[sink.kafka]\n\"session.timeout.ms\" = 6000\n"
          "[sink.config]\ndsn = \"${env:PG_DSN}\"\nschema = \"" +
          schema + "\"\ntable = \"" + table + "\"\nmode = \"" + mode +
          "\"\nlayout = \"" + layout + "\"\n";
    }
    return text;
  }
};

class PostgresPipelineTest : public HostTest {
 protected:
  PostgresPipeline pipeline() {
    PostgresPipeline p;
    p.topic = unique_name("users");
    p.group = unique_name("rdconnect-pg");
    p.schema = schema_.name();
    return p;
  }

  std::string qualified(const PostgresPipeline& p) const {
    return "\"" + p.schema + "\".\"" + p.table + "\"";
  }

  int64_t row_count(const PostgresPipeline& p) {
    try {
      return std::stoll(query_value("SELECT count(*) FROM " + qualified(p)));
    } catch (const std::exception&) {
      return 0;  // not created yet, or the server is down
    }
  }

  /// (partition, offset) of every row, for insert mode.
  std::multiset<std::pair<int32_t, int64_t>> row_coordinates(
      const PostgresPipeline& p) {
    auto connection = connect_postgres();
    pqxx::nontransaction tx(*connection);
    std::multiset<std::pair<int32_t, int64_t>> result;
    for (const auto& row :
         tx.exec("SELECT kafka_partition, kafka_offset FROM " + qualified(p))) {
      result.emplace(row[0].as<int32_t>(), row[1].as<int64_t>());
    }
    return result;
  }

  void produce_only(PostgresPipeline p) {
    p.with_sink = false;
    run_until_caught_up(write_config("produce.toml", p.toml()));
  }

  ScratchSchema schema_{"it"};
};

// The latest value of every key that was not deleted, computed from the
// topic by an independent reader; keys are routed by uuid_mod, so one
// partition holds all of a key's records in order.
std::map<std::string, nlohmann::json> compacted_view(
    const std::vector<TopicRecord>& records) {
  std::vector<const TopicRecord*> ordered;
  for (const TopicRecord& record : records) ordered.push_back(&record);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
    return std::tie(a->partition, a->offset) <
           std::tie(b->partition, b->offset);
  });
  std::map<std::string, nlohmann::json> view;
  for (const TopicRecord* record : ordered) {
    if (!record->value) {
      view.erase(*record->key);
    } else {
      view[*record->key] = nlohmann::json::parse(*record->value);
    }
  }
  return view;
}

TEST_F(PostgresPipelineTest, UpsertTableEqualsTheCompactedTopic) {
  PostgresPipeline p = pipeline();
  p.count = 6000;
  p.keys = 300;
  p.tombstone_every = 7;
  run_until_caught_up(write_config("upsert.toml", p.toml()));

  const auto expected = compacted_view(read_topic(p.topic));
  ASSERT_GT(expected.size(), 0u);
  auto connection = connect_postgres();
  pqxx::nontransaction tx(*connection);
  std::map<std::string, nlohmann::json> actual;
  for (const auto& row :
       tx.exec("SELECT key::text, value::text FROM " + qualified(p))) {
    actual[row[0].c_str()] = nlohmann::json::parse(row[1].c_str());
  }
  EXPECT_EQ(actual.size(), expected.size());
  EXPECT_EQ(actual, expected);
  EXPECT_EQ(query_value("SELECT data_type FROM information_schema.columns "
                        "WHERE table_schema = '" +
                        p.schema +
                        "' AND table_name = 'users' AND column_name = 'key'"),
            "uuid");
}

// SIGKILL at three different moments of an insert-mode run, restarting each
// time: the table ends with exactly the topic's offsets, each once, and the
// offsets the sink stored say it resumes after the last row it wrote.
TEST_F(PostgresPipelineTest, InsertModeIsExactlyOnceAcrossSigkills) {
  PostgresPipeline p = pipeline();
  p.mode = "insert";
  p.count = 100000;
  produce_only(p);
  PostgresPipeline sink_only = p;
  sink_only.with_source = false;
  const auto config = write_config("sink.toml", sink_only.toml());

  for (int64_t kill_after : {15000, 45000, 75000}) {
    auto host = start_host(config);
    ASSERT_TRUE(wait_for([&] { return row_count(p) >= kill_after; }, 120s))
        << host->stderr_text();
    host->send_signal(SIGKILL);
    ASSERT_EQ(host->wait(30s), std::optional<int>(128 + SIGKILL));
  }
  run_until_caught_up(config);

  const auto topic = read_topic(p.topic);
  ASSERT_EQ(topic.size(), 100000u);
  EXPECT_EQ(query_value("SELECT sum(next_offset) FROM \"" + p.schema +
                        "\".rdconnect_offsets"),
            "100000");
  EXPECT_EQ(row_count(p), 100000);
  EXPECT_EQ(row_coordinates(p), coordinates(topic));
}

// PostgreSQL stops in the middle of a run and comes back: the sink retries
// with backoff and catches up with nothing lost.
TEST_F(PostgresPipelineTest, SurvivesAPostgresRestart) {
  const char* services = std::getenv("RDCONNECT_SERVICES");
  ASSERT_NE(services, nullptr) << "RDCONNECT_SERVICES (scripts/services.sh "
                                  "env) is needed to restart PostgreSQL";
  PostgresPipeline p = pipeline();
  p.mode = "insert";
  p.count = 60000;
  produce_only(p);
  PostgresPipeline sink_only = p;
  sink_only.with_source = false;

  auto host = start_host(write_config("sink.toml", sink_only.toml()),
                         {"--until-caught-up"});
  ASSERT_TRUE(wait_for([&] { return row_count(p) >= 10000; }, 120s))
      << host->stderr_text();
  ASSERT_EQ(std::system((std::string(services) + " stop-postgres").c_str()), 0);
  ASSERT_TRUE(wait_for(
      [&] { return host->stderr_text().find("retrying") != std::string::npos; },
      60s))
      << host->stderr_text();
  ASSERT_EQ(std::system((std::string(services) + " start-postgres").c_str()),
            0);

  const std::optional<int> code = host->wait(120s);
  ASSERT_EQ(code, std::optional<int>(0)) << host->stderr_text();
  EXPECT_EQ(row_count(p), 60000);
  EXPECT_EQ(row_coordinates(p), coordinates(read_topic(p.topic)));
}

// Two hosts start at the same moment against an empty schema: one set of
// tables, one migration history, and both run.
TEST_F(PostgresPipelineTest, TwoHostsStartingAtOnceShareOneMigrationHistory) {
  PostgresPipeline p = pipeline();
  p.count = 2000;
  p.tasks = 1;
  produce_only(p);
  PostgresPipeline sink_only = p;
  sink_only.with_source = false;
  const auto config = write_config("sink.toml", sink_only.toml());

  auto first = start_host(config, {"--until-caught-up"});
  auto second = start_host(config, {"--until-caught-up"});
  ASSERT_EQ(first->wait(120s), std::optional<int>(0)) << first->stderr_text();
  ASSERT_EQ(second->wait(120s), std::optional<int>(0)) << second->stderr_text();

  EXPECT_EQ(row_count(p), 2000);
  const std::string history = "\"" + p.schema + "\".rdconnect_migrations";
  EXPECT_EQ(query_value("SELECT count(*) FROM " + history),
            query_value("SELECT count(DISTINCT id) FROM " + history));
  EXPECT_NE(query_value("SELECT count(*) FROM " + history), "0");
}

}  // namespace
}  // namespace rdconnect::testing
