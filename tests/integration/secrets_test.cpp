// The PostgreSQL password, given through ${file:...} and inside a DSN,
// appears in no output of a run: not in the log, not in any endpoint's
// answer, not in validate's output, not in the failure of a connector
// whose database refuses it. The password is the real one of the
// services' role, so the sinks that use it really log in.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "control_api_fixture.hpp"
#include "postgres_pipeline.hpp"

namespace rdconnect::testing {
namespace {

struct Dsn {
  std::string user;
  std::string password;
  std::string port;
  std::string database;
};

// PG_DSN as services.sh prints it: postgresql://user:password@host:port/db.
Dsn parse_dsn(const std::string& uri) {
  static const std::regex shape(
      "postgresql://([^:]+):([^@]+)@127\\.0\\.0\\.1:([0-9]+)/(.+)");
  std::smatch match;
  if (!std::regex_match(uri, match, shape)) {
    ADD_FAILURE() << "PG_DSN is not postgresql://user:password@127.0.0.1:"
                     "port/db";
    return {};
  }
  return {match[1], match[2], match[3], match[4]};
}

class SecretsTest : public ControlApiTest {
 protected:
  /// `retry`: whether a failure to connect is retried (and restarted).
  std::string pg_sink(const std::string& name, const std::string& dsn,
                      const std::string& schema, bool retry = true) {
    return "[[sink]]\nname = \"" + name +
           "\"\nplugin = \"postgres_sink\"\ntopics = [\"" + topic_ +
           "\"]\ngroup_id = \"" + unique_name(name) +
           "\"\nflush_interval_ms = 200\n" +
           (retry ? ""
                  : "[sink.errors]\nretry_timeout_ms = 0\n"
                    "[sink.restart]\nenabled = false\n") +
           "[sink.config]\ndsn = \"" + dsn + "\"\nschema = \"" + schema +
           "\"\ntable = \"" + name + "\"\nmode = \"insert\"\n";
  }

  /// Every GET endpoint's answer, and the metrics, as text.
  std::string every_answer() {
    std::string all = metrics();
    for (const std::string path :
         {"/", "/readyz", "/connectors?expand=status",
          "/connectors?expand=info", "/connector-plugins",
          "/connector-plugins/postgres_sink/config"}) {
      all += request("GET", path).body.dump();
    }
    for (const std::string name : {"uuids", "from_file", "in_dsn", "refused"}) {
      for (const std::string suffix :
           {"", "/config", "/status", "/tasks", "/offsets"}) {
        all += request("GET", "/connectors/" + name + suffix).body.dump();
      }
    }
    return all;
  }
};

TEST_F(SecretsTest, ThePasswordAppearsInNoOutputEndpointOrLog) {
  constexpr int64_t kCount = 500;
  const char* uri = std::getenv("PG_DSN");
  ASSERT_NE(uri, nullptr);
  const Dsn dsn = parse_dsn(uri);
  ASSERT_GE(dsn.password.size(), 8u);
  write_text(scratch_ / "pg-password", dsn.password + "\n");
  const ScratchSchema schema("secrets");
  topic_ = unique_name("secrets");
  const std::string key_value = "host=127.0.0.1 port=" + dsn.port +
                                " user=" + dsn.user + " dbname=" + dsn.database;
  const std::string toml =
      std::string(kConfigPrelude) +
      "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
      "topic = \"" +
      topic_ +
      "\"\n[source.topic_creation]\npartitions = 2\n"
      "[source.config]\ncount = " +
      std::to_string(kCount) + "\n" +
      pg_sink("from_file", key_value + " password=${file:pg-password}",
              schema.name()) +
      pg_sink("in_dsn", uri, schema.name()) +
      // The right password for a server that is not there: its failure
      // must not quote it.
      pg_sink("refused",
              "postgresql://" + dsn.user + ":" + dsn.password +
                  "@127.0.0.1:1/" + dsn.database,
              schema.name(), false);
  const auto config_file = write_config("control.toml", toml);

  ChildProcess validate(
      {rdconnect_binary(), "validate", "--connect", config_file.string()},
      {{"RDCONNECT_PLUGIN_PATH", plugin_directory()}}, scratch_ / "validate");
  // Two sinks log in; the one whose server is not there fails the check.
  EXPECT_EQ(validate.wait(60s), std::optional<int>(1));
  const std::string validated = validate.stdout_text() + validate.stderr_text();
  for (const std::string name : {"from_file", "in_dsn"}) {
    EXPECT_THAT(validated,
                ::testing::ContainsRegex(
                    "sink '" + name +
                    "':\n    brokers: OK [^\n]*\n    target: OK "
                    "\\(PostgreSQL [0-9.]+ at postgresql://" +
                    dsn.user + "@127\\.0\\.0\\.1:" + dsn.port + "/" +
                    dsn.database + "; table \"" + schema.name() + "\"\\.\"" +
                    name + "\" does not exist yet and will be created\\)\n"))
        << validated;
  }
  EXPECT_THAT(validated,
              ::testing::HasSubstr("sink 'refused':\n    brokers: OK"));
  EXPECT_THAT(validated, ::testing::HasSubstr(
                             "    target: FAILED: cannot log in to "
                             "postgresql://" +
                             dsn.user + "@127.0.0.1:1/" + dsn.database + ": "));
  EXPECT_THAT(validated,
              ::testing::HasSubstr("connection check failed: 1 connector(s)"));
  EXPECT_EQ(validated.find(dsn.password), std::string::npos);

  start(toml);
  PostgresPipeline from_file;
  from_file.schema = schema.name();
  from_file.table = "from_file";
  PostgresPipeline in_dsn = from_file;
  in_dsn.table = "in_dsn";
  ASSERT_TRUE(wait_for(
      [&] {
        return from_file.row_count() == kCount &&
               in_dsn.row_count() == kCount && state_is("refused", "FAILED");
      },
      60s))
      << host_->stderr_tail();
  EXPECT_NE(status("refused")["connector"]["trace"].get<std::string>().find(
                "127.0.0.1"),
            std::string::npos)
      << status("refused").dump();
  const std::string answers = every_answer();
  EXPECT_NE(answers.find("from_file"), std::string::npos);
  EXPECT_EQ(answers.find(dsn.password), std::string::npos);
  const Reply reload = request("POST", "/reload");
  EXPECT_EQ(reload.body.dump().find(dsn.password), std::string::npos);

  host_->send_signal(SIGTERM);
  // "refused" FAILED: the run fails.
  EXPECT_EQ(host_->wait(60s), 1) << host_->stderr_tail();
  const std::string log = host_->stderr_text() + host_->stdout_text();
  EXPECT_NE(log.find("refused"), std::string::npos);
  EXPECT_EQ(log.find(dsn.password), std::string::npos);
}

}  // namespace
}  // namespace rdconnect::testing
