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

#include "postgres_pipeline.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;

class PostgresPipelineTest : public HostTest {
 protected:
  PostgresPipeline pipeline() {
    PostgresPipeline p;
    p.topic = unique_name("users");
    p.group = unique_name("rdconnect-pg");
    p.schema = schema_.name();
    return p;
  }

  void produce_only(PostgresPipeline p) {
    p.with_sink = false;
    run_until_caught_up(write_config("produce.toml", p.toml()));
  }

  // `count` records produced, and the insert-mode sink of them alone.
  PostgresPipeline insert_sink_of_produced(int count) {
    PostgresPipeline p = pipeline();
    p.mode = "insert";
    p.count = count;
    produce_only(p);
    p.with_source = false;
    return p;
  }

  ScratchSchema schema_{"it"};
};

// The latest value of every key that was not deleted, computed from the
// topic by an independent reader; keys are routed by uuid_mod, so one
// partition holds all of a key's records in order.
std::map<std::string, nlohmann::json> compacted_view(
    const std::vector<KafkaRecord>& records) {
  std::vector<const KafkaRecord*> ordered;
  for (const KafkaRecord& record : records) ordered.push_back(&record);
  std::sort(ordered.begin(), ordered.end(), [](auto* a, auto* b) {
    return std::tie(a->partition, a->offset) <
           std::tie(b->partition, b->offset);
  });
  std::map<std::string, nlohmann::json> view;
  for (const KafkaRecord* record : ordered) {
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

  const auto expected = compacted_view(read_records(p.topic));
  ASSERT_GT(expected.size(), 0u);
  auto connection = connect_postgres();
  pqxx::nontransaction tx(*connection);
  std::map<std::string, nlohmann::json> actual;
  for (const auto& row :
       tx.exec("SELECT key::text, value::text FROM " + p.qualified_table())) {
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
  const PostgresPipeline p = insert_sink_of_produced(100000);
  const auto config = write_config("sink.toml", p.toml());

  for (int64_t kill_after : {15000, 45000, 75000}) {
    auto host = start_host(config);
    ASSERT_TRUE(wait_for([&] { return p.row_count() >= kill_after; }, 120s))
        << host->stderr_text();
    host->send_signal(SIGKILL);
    ASSERT_EQ(host->wait(30s), std::optional<int>(128 + SIGKILL));
  }
  run_until_caught_up(config);

  const auto topic = read_records(p.topic);
  ASSERT_EQ(topic.size(), 100000u);
  EXPECT_EQ(query_value("SELECT sum(next_offset) FROM \"" + p.schema +
                        "\".rdconnect_offsets"),
            "100000");
  EXPECT_EQ(p.row_count(), 100000);
  EXPECT_EQ(p.row_coordinates(), coordinates(topic));
}

// The same connector (same name, same consumer group), re-configured from
// one table to another: the new table gets every record of the topic, the
// run ends once it has (exit 0), and the first table is left as it was.
// The group's commits of the first run say "caught up" from the start;
// --until-caught-up must wait for the sink's own offsets (by table) to be
// the ones that count, or it ends the run with nothing written.
TEST_F(PostgresPipelineTest, ANewTargetTableGetsEveryRecordOfTheTopic) {
  const PostgresPipeline first = insert_sink_of_produced(2000);
  run_until_caught_up(write_config("sink_a.toml", first.toml()));
  ASSERT_EQ(first.row_count(), 2000);

  PostgresPipeline second = first;
  second.table = "users_b";
  run_until_caught_up(write_config("sink_b.toml", second.toml()));

  const auto topic = read_records(first.topic);
  ASSERT_EQ(topic.size(), 2000u);
  EXPECT_EQ(second.row_count(), 2000);
  EXPECT_EQ(second.row_coordinates(), coordinates(topic));
  EXPECT_EQ(first.row_count(), 2000);
  EXPECT_EQ(first.row_coordinates(), coordinates(topic));
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

  EXPECT_EQ(p.row_count(), 2000);
  const std::string history = "\"" + p.schema + "\".rdconnect_migrations";
  EXPECT_EQ(query_value("SELECT count(*) FROM " + history),
            query_value("SELECT count(DISTINCT id) FROM " + history));
  EXPECT_NE(query_value("SELECT count(*) FROM " + history), "0");
}

}  // namespace
}  // namespace rdconnect::testing
