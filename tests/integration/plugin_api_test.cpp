// The /connector-plugins endpoints of a running host on the real broker:
// the shipped plugins listed and described, validate answering with the
// messages `rdconnect validate` prints and never a secret, bad requests
// refused; and `rdconnect validate --connect` against the real broker and
// an address where none listens.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>

#include "host_fixture.hpp"

namespace rdconnect::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Appears in the DSNs sent; must appear in no answer and no log.
constexpr const char* kPassword = "pw-7f3c9a";

struct Reply {
  int status = 0;
  json body;
  std::string text;
};

struct Outcome {
  std::optional<int> code;
  std::string out;
  std::string err;
  std::chrono::milliseconds took{};
};

class PluginApiTest : public HostTest {
 protected:
  void TearDown() override {
    if (!host_) return;
    host_->send_signal(SIGTERM);
    EXPECT_EQ(host_->wait(60s), 0) << host_->stderr_tail();
    EXPECT_THAT(host_->stderr_text() + host_->stdout_text(),
                Not(HasSubstr(kPassword)));
  }

  /// A host with the API on a free port, running a slow source and a sink.
  void start() {
    const std::string topic = unique_name("plugin-api");
    const std::string toml =
        std::string(kConfigPrelude) +
        "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
        "topic = \"" +
        topic +
        "\"\n[source.topic_creation]\npartitions = 1\n"
        "[source.config]\ncount = 0\nrate = 20\n"
        "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\ntopics = [\"" +
        topic + "\"]\ngroup_id = \"" + unique_name("plugin-api-log") +
        "\"\n[sink.config]\npath = \"" + (scratch_ / "log.jsonl").string() +
        "\"\n";
    host_ = start_host(write_config("plugin-api.toml", toml),
                       {"--http-listen", "127.0.0.1:0"});
    const int port = wait_for_http_port(*host_);
    ASSERT_NE(port, 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    client_->set_read_timeout(30, 0);
    // Serving starts before the connectors do; a stop before they run
    // would be a failed run.
    ASSERT_TRUE(wait_for(
        [&] {
          const httplib::Result ready = client_->Get("/readyz");
          return ready && ready->status == 200;
        },
        60s))
        << host_->stderr_tail();
  }

  Reply get(const std::string& path) {
    return answer("GET " + path, client_->Get(path));
  }

  Reply validate(const std::string& plugin, const std::string& body) {
    const std::string path =
        "/connector-plugins/" + plugin + "/config/validate";
    return answer("PUT " + path, client_->Put(path, body, "application/json"));
  }

  Reply answer(const std::string& what, const httplib::Result& result) {
    if (!result) {
      ADD_FAILURE() << what << ": no answer ("
                    << httplib::to_string(result.error()) << ")";
      return {};
    }
    Reply reply{result->status, nullptr, result->body};
    EXPECT_THAT(result->body, Not(HasSubstr(kPassword))) << what;
    if (!result->body.empty()) reply.body = json::parse(result->body);
    return reply;
  }

  /// `rdconnect ARGS...` to its end, with the plugins and the cluster.
  Outcome rdconnect(std::vector<std::string> args) {
    args.insert(args.begin(), rdconnect_binary().string());
    const auto start = std::chrono::steady_clock::now();
    ChildProcess process(
        std::move(args),
        {{"KAFKA_BOOTSTRAP", bootstrap_},
         {"RDCONNECT_PLUGIN_PATH", plugin_directory().string()}},
        scratch_ / ("cli-" + std::to_string(++runs_)));
    Outcome outcome;
    outcome.code = process.wait(60s);
    outcome.took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    outcome.out = process.stdout_text();
    outcome.err = process.stderr_text();
    return outcome;
  }

  /// What `rdconnect validate` prints about `settings` as a log sink's
  /// [sink.config].
  Outcome validate_on_command_line(const std::string& plugin,
                                   const std::string& settings) {
    const auto config =
        write_config("validate-" + std::to_string(runs_) + ".toml",
                     "[[sink]]\nname = \"s\"\nplugin = \"" + plugin +
                         "\"\ntopics = [\"t\"]\n[sink.config]\n" + settings);
    return rdconnect({"validate", config.string()});
  }

  std::unique_ptr<ChildProcess> host_;
  std::unique_ptr<httplib::Client> client_;
};

std::vector<std::string> errors_of(const json& answer) {
  std::vector<std::string> errors;
  for (const json& config : answer["configs"]) {
    for (const json& error : config["value"]["errors"]) {
      errors.push_back(error.get<std::string>());
    }
  }
  return errors;
}

const json& value_of(const json& answer, const std::string& key) {
  for (const json& config : answer["configs"]) {
    if (config["value"]["name"] == key) return config["value"];
  }
  static const json none;
  ADD_FAILURE() << "no config " << key << " in " << answer.dump();
  return none;
}

TEST_F(PluginApiTest, ListsTheShippedPluginsWithTheirTypeVersionAndKeys) {
  start();
  const Reply list = get("/connector-plugins");
  ASSERT_EQ(list.status, 200) << list.text;
  std::map<std::string, json> by_class;
  for (const json& plugin : list.body) by_class[plugin["class"]] = plugin;
  const std::map<std::string, std::string> expected = {
      {"uuid_source", "source"},
      {"log_sink", "sink"},
      {"postgres_sink", "sink"}};
  for (const auto& [name, type] : expected) {
    ASSERT_TRUE(by_class.contains(name)) << list.text;
    const json& plugin = by_class[name];
    EXPECT_EQ(plugin["type"], type) << name;
    EXPECT_THAT(plugin["version"].get<std::string>(),
                ::testing::MatchesRegex("[0-9]+\\.[0-9]+\\.[0-9]+"));
    EXPECT_EQ(plugin["abi"], "1.3") << name;
    EXPECT_EQ(plugin["file"], (plugin_directory() / (name + ".so")).string());
    EXPECT_FALSE(plugin["description"].get<std::string>().empty());
    EXPECT_FALSE(plugin.contains("refused")) << plugin.dump();
  }

  const Reply config = get("/connector-plugins/log_sink/config");
  ASSERT_EQ(config.status, 200) << config.text;
  std::vector<std::string> names;
  for (const json& key : config.body) names.push_back(key["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"path", "format", "rotate_bytes",
                                             "rotate_keep", "file_mode"}));
  const json& format = config.body[1];
  EXPECT_EQ(format["type"], "STRING");
  EXPECT_EQ(format["required"], false);
  EXPECT_EQ(format["default_value"], "json");
  EXPECT_EQ(format["choices"], json({"json", "text"}));
  EXPECT_EQ(format["secret"], false);
  EXPECT_FALSE(format["documentation"].get<std::string>().empty());
  EXPECT_EQ(config.body[3]["type"], "LONG");
  EXPECT_EQ(config.body[3]["min_value"], "1");
  EXPECT_EQ(config.body[3]["max_value"], "1000");

  const Reply postgres = get("/connector-plugins/postgres_sink/config");
  EXPECT_EQ(postgres.body[0]["name"], "dsn");
  EXPECT_EQ(postgres.body[0]["type"], "PASSWORD");
  EXPECT_EQ(postgres.body[0]["secret"], true);
  EXPECT_EQ(postgres.body[0]["required"], true);

  const Reply missing = get("/connector-plugins/nope_sink/config");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(missing.body["message"].get<std::string>(),
              HasSubstr("no plugin named 'nope_sink'"));
}

TEST_F(PluginApiTest, ValidateAnswersWithTheMessagesOfRdconnectValidate) {
  start();
  const Reply good = validate(
      "log_sink", R"({"path": "-", "format": "text", "rotate_keep": 3})");
  ASSERT_EQ(good.status, 200) << good.text;
  EXPECT_EQ(good.body["name"], "log_sink");
  EXPECT_EQ(good.body["error_count"], 0);
  EXPECT_EQ(good.body["groups"], json::array());
  ASSERT_EQ(good.body["configs"].size(), 5u);
  const json& first = good.body["configs"][0];
  EXPECT_EQ(first["definition"]["name"], "path");
  EXPECT_EQ(first["value"]["name"], "path");
  EXPECT_EQ(first["value"]["value"], "-");
  EXPECT_EQ(first["value"]["errors"], json::array());
  EXPECT_EQ(first["value"]["visible"], true);
  EXPECT_EQ(value_of(good.body, "rotate_keep")["value"], "3");
  EXPECT_EQ(value_of(good.body, "file_mode")["value"], "0600");
  EXPECT_EQ(value_of(good.body, "format")["recommended_values"],
            json({"json", "text"}));

  // An unknown key, a wrong type, a value out of range.
  const Reply bad = validate(
      "log_sink", R"({"path": "-", "formt": "json", "rotate_bytes": "big",
                      "rotate_keep": 5000})");
  ASSERT_EQ(bad.status, 200) << bad.text;
  EXPECT_EQ(bad.body["error_count"], 3);
  const std::vector<std::string> errors = errors_of(bad.body);
  ASSERT_EQ(errors.size(), 3u) << bad.text;
  const Outcome cli = validate_on_command_line(
      "log_sink",
      "path = \"-\"\nformt = \"json\"\nrotate_bytes = \"big\"\n"
      "rotate_keep = 5000\n");
  EXPECT_EQ(cli.code, 2) << cli.err;
  for (const std::string& error : errors) {
    EXPECT_THAT(cli.err, HasSubstr(": " + error + "\n"));
  }
  EXPECT_THAT(errors, ::testing::Contains(HasSubstr(
                          "unknown key 'formt' for plugin 'log_sink' (did "
                          "you mean 'format'?)")));
  EXPECT_THAT(value_of(bad.body, "rotate_keep")["errors"][0].get<std::string>(),
              HasSubstr("5000 is out of range; expected an integer from 1 to "
                        "1000"));
  EXPECT_THAT(
      value_of(bad.body, "rotate_bytes")["errors"][0].get<std::string>(),
      HasSubstr("expected an integer, got a string"));
}

TEST_F(PluginApiTest, APostgresDsnIsNeverEchoed) {
  start();
  const std::string dsn =
      std::string("postgresql://rdconnect:") + kPassword + "@127.0.0.1:1/db";
  const Reply good =
      validate("postgres_sink", R"({"dsn": ")" + dsn + R"(", "table": "t"})");
  ASSERT_EQ(good.status, 200) << good.text;
  EXPECT_EQ(good.body["error_count"], 0);
  EXPECT_EQ(value_of(good.body, "dsn")["value"], "********");

  // Wrong around it, wrong itself, or in a body that does not parse: still
  // not shown (answer() checks every body for the password).
  const Reply bad = validate("postgres_sink", R"({"dsn": ")" + dsn +
                                                  R"(", "table": "",
                                                  "mode": "merge"})");
  EXPECT_EQ(bad.body["error_count"], 2);
  EXPECT_EQ(value_of(bad.body, "dsn")["value"], "********");
  const Reply typed = validate(
      "postgres_sink", std::string(R"({"dsn": [")") + kPassword + R"("]})");
  EXPECT_EQ(typed.body["error_count"], 2);  // and table is missing
  EXPECT_EQ(value_of(typed.body, "dsn")["value"], "********");
  const Reply unparsed =
      validate("postgres_sink", R"({"dsn": ")" + dsn + "\t\"}");
  EXPECT_EQ(unparsed.status, 400);
  const Reply cut = validate("postgres_sink", R"({"dsn": ")" + dsn);
  EXPECT_EQ(cut.status, 400);
}

TEST_F(PluginApiTest, BadRequestsGetClearAnswers) {
  start();
  const Reply broken = validate("log_sink", R"({"path": "-",})");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.body["error_code"], 400);
  EXPECT_THAT(broken.body["message"].get<std::string>(),
              HasSubstr("not valid JSON: parse error at line 1, column 14"));
  const Reply array = validate("log_sink", "[]");
  EXPECT_EQ(array.status, 400);
  EXPECT_THAT(array.body["message"].get<std::string>(),
              HasSubstr("send a JSON object"));
  const Reply unknown = validate("nope_sink", "{}");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_THAT(unknown.body["message"].get<std::string>(),
              HasSubstr("Plugins found: log_sink, postgres_sink, uuid_source"));
  const Reply wrong_method = get("/connector-plugins/log_sink/config/validate");
  EXPECT_EQ(wrong_method.status, 405);
  // The connectors never noticed.
  const Reply ready = get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.text;
}

TEST_F(PluginApiTest, ValidateConnectReachesTheRealBrokers) {
  const auto config = write_config(
      "connect.toml", std::string(kConfigPrelude) +
                          "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\n"
                          "topics = [\"t\"]\n");
  const Outcome outcome = rdconnect({"validate", "--connect", config.string()});
  EXPECT_EQ(outcome.code, 0) << outcome.out << outcome.err;
  EXPECT_THAT(outcome.out, HasSubstr(": OK (0 source(s), 1 sink(s))"));
  EXPECT_THAT(outcome.out,
              ::testing::ContainsRegex("sink 'log':\n    brokers: OK \\([0-9]+ "
                                       "brokers?, cluster id [^ )]+\\)"));
  EXPECT_THAT(outcome.out,
              HasSubstr("target: not checked (plugin has no connection "
                        "check)"));
}

TEST_F(PluginApiTest, ValidateConnectFailsClearlyWhenNoBrokerListens) {
  const auto config = write_config(
      "unreachable.toml",
      "[kafka]\n\"bootstrap.servers\" = \"127.0.0.1:1\"\n"
      "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\n"
      "topic = \"t\"\n"
      "[[sink]]\nname = \"log\"\nplugin = \"log_sink\"\ntopics = [\"t\"]\n");
  const Outcome outcome = rdconnect({"validate", "--connect", config.string()});
  EXPECT_EQ(outcome.code, 1) << outcome.out << outcome.err;
  EXPECT_LT(outcome.took, 15s);
  // The config itself is fine, and says so.
  EXPECT_THAT(outcome.out, HasSubstr(": OK (1 source(s), 1 sink(s))"));
  EXPECT_THAT(outcome.out,
              HasSubstr("source 'uuids':\n    brokers: FAILED: no broker "
                        "answered within 10 s: "));
  EXPECT_THAT(outcome.out, HasSubstr("Connection refused"));
  EXPECT_THAT(outcome.out, HasSubstr("check \"bootstrap.servers\""));
  EXPECT_THAT(outcome.out, HasSubstr("[sink.kafka]"));
  EXPECT_THAT(outcome.err,
              HasSubstr("connection check failed: 2 connector(s) cannot "
                        "reach their brokers"));
}

}  // namespace
}  // namespace rdconnect::testing
