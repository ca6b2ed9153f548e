// The uuid_source → Kafka → postgres_sink config that the PostgreSQL
// integration and fault tests run, with the knobs they turn.
#pragma once

#include <cstdint>
#include <string>

#include <pqxx/pqxx>

#include "host_fixture.hpp"
#include "postgres_test_db.hpp"

namespace rdconnect::testing {

struct PostgresPipeline {
  std::string topic;
  std::string schema;
  std::string table = "users";
  std::string group;
  std::string mode = "upsert";
  std::string layout = "jsonb";
  int partitions = 2;
  int replication_factor = 1;
  /// Extra topic configs, as TOML inline-table entries.
  std::string topic_configs;
  int tasks = 2;
  int64_t count = 5000;
  int64_t rate = 0;
  int64_t keys = 0;
  int64_t tombstone_every = 0;
  bool with_source = true;
  bool with_sink = true;

  std::string toml() const {
    std::string text = kConfigPrelude;
    if (with_source) {
      text +=
          "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
          "topic = \"" +
          topic +
          "\"\npartitioner = \"uuid_mod\"\n"
          "[source.topic_creation]\npartitions = " +
          std::to_string(partitions) +
          "\nreplication_factor = " + std::to_string(replication_factor) +
          "\nconfigs = { \"cleanup.policy\" = \"compact\"" +
          (topic_configs.empty() ? "" : ", " + topic_configs) +
          " }\n"
          "[source.config]\ncount = " +
          std::to_string(count) + "\nrate = " + std::to_string(rate) +
          "\nkeys = " + std::to_string(keys) +
          "\ntombstone_every = " + std::to_string(tombstone_every) + "\n";
    }
    if (with_sink) {
      text +=
          "[[sink]]\nname = \"pg\"\nplugin = \"postgres_sink\"\n"
          "topics = [\"" +
          topic + "\"]\ngroup_id = \"" + group +
          "\"\ntasks = " + std::to_string(tasks) +
          "\nflush_interval_ms = 200\n"
          // A killed host's consumers are only noticed when their
          // session times out; the broker's minimum keeps restarts quick.
          "[sink.kafka]\n\"session.timeout.ms\" = 6000\n"
          "[sink.config]\ndsn = \"${env:PG_DSN}\"\nschema = \"" +
          schema + "\"\ntable = \"" + table + "\"\nmode = \"" + mode +
          "\"\nlayout = \"" + layout + "\"\n";
    }
    return text;
  }

  std::string qualified_table() const {
    return "\"" + schema + "\".\"" + table + "\"";
  }

  /// Rows in the table; 0 while it does not exist or the server is down.
  int64_t row_count() const {
    try {
      return std::stoll(
          query_value("SELECT count(*) FROM " + qualified_table()));
    } catch (const std::exception&) {
      return 0;
    }
  }

  /// (partition, offset) of every row, for insert mode.
  Coordinates row_coordinates() const {
    auto connection = connect_postgres();
    pqxx::nontransaction tx(*connection);
    Coordinates result;
    for (const auto& row :
         tx.exec("SELECT kafka_partition, kafka_offset FROM " +
                 qualified_table())) {
      result.emplace(row[0].as<int32_t>(), row[1].as<int64_t>());
    }
    return result;
  }
};

}  // namespace rdconnect::testing
