// The /connector-plugins bodies without a transport: JSON settings as the
// TOML table they stand for, the validate answer in Connect's shape with
// the messages `rdconnect validate` gives, and secrets kept out of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <rdconnect/plugin.hpp>

#include "config/plugin_config.hpp"
#include "http/control_api.hpp"
#include "http/plugin_json.hpp"

namespace rdconnect::http {
namespace {

using nlohmann::json;
using rdconnect::ConfigKey;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr rdc_config_entry kConfigMap[] = {
    ConfigKey::string("path").required().non_empty().doc("file to append to"),
    ConfigKey::string("format")
        .with_default("json")
        .choices("json|text")
        .doc("record format"),
    ConfigKey::integer("keep").with_default("5").min("1").max("10").doc(
        "files to keep"),
    ConfigKey::number("ratio").with_default("0.5").doc("a fraction"),
    ConfigKey::boolean("compress").with_default("false").doc("gzip files"),
    ConfigKey::string("dsn").secret().with_default("host=db").doc(
        "where to connect"),
};

// What `rdconnect validate` says about `toml_text` as the [sink.config]
// table: each problem's message, without its file:line:col.
std::vector<std::string> cli_messages(std::string_view toml_text) {
  config::PluginSettings settings{
      "demo_sink",
      toml::parse(toml_text, std::string_view("t.toml")),
      config::SourceLocation{"t.toml", 1, 1},
      {}};
  try {
    config::resolve_plugin_config(settings, kConfigMap);
  } catch (const config::ConfigError& error) {
    std::vector<std::string> messages;
    for (const auto& problem : error.problems()) {
      messages.push_back(problem.message);
    }
    std::sort(messages.begin(), messages.end());
    return messages;
  }
  return {};
}

// Every error of a validate answer, sorted.
std::vector<std::string> answer_messages(const json& answer) {
  std::vector<std::string> messages;
  for (const json& config : answer["configs"]) {
    for (const json& error : config["value"]["errors"]) {
      messages.push_back(error.get<std::string>());
    }
  }
  std::sort(messages.begin(), messages.end());
  return messages;
}

const json& value_of(const json& answer, const std::string& key) {
  for (const json& config : answer["configs"]) {
    if (config["value"]["name"] == key) return config["value"];
  }
  static const json none;
  ADD_FAILURE() << "no config " << key << " in " << answer.dump();
  return none;
}

TEST(JsonSettingsTest, EachJsonValueBecomesTheTomlValueOfItsType) {
  const JsonSettings settings = settings_from_json(
      json::parse(R"({"s": "text", "i": -7, "u": 9007199254740993,
                      "d": 2.5, "b": true, "a": [1, "x"], "t": {"k": false}})"),
      "demo_sink");
  EXPECT_TRUE(settings.problems.empty());
  const toml::table& table = settings.table;
  ASSERT_NE(table["s"].as_string(), nullptr);
  EXPECT_EQ(table["s"].as_string()->get(), "text");
  ASSERT_NE(table["i"].as_integer(), nullptr);
  EXPECT_EQ(table["i"].as_integer()->get(), -7);
  ASSERT_NE(table["u"].as_integer(), nullptr);
  EXPECT_EQ(table["u"].as_integer()->get(), 9007199254740993);
  ASSERT_NE(table["d"].as_floating_point(), nullptr);
  EXPECT_EQ(table["d"].as_floating_point()->get(), 2.5);
  ASSERT_NE(table["b"].as_boolean(), nullptr);
  EXPECT_TRUE(table["b"].as_boolean()->get());
  ASSERT_NE(table["a"].as_array(), nullptr);
  EXPECT_EQ(table["a"].as_array()->size(), 2u);
  EXPECT_EQ(table["a"][1].as_string()->get(), "x");
  ASSERT_NE(table["t"].as_table(), nullptr);
  EXPECT_FALSE(table["t"]["k"].as_boolean()->get());
}

TEST(JsonSettingsTest, ValuesTomlCannotHoldAreProblemsThatQuoteNothing) {
  const JsonSettings settings =
      settings_from_json(json::parse(R"({"n": null, "big": 18446744073709551615,
                      "nul": "pass\u0000word", "ok": 1})"),
                         "demo_sink");
  EXPECT_EQ(settings.table.size(), 1u);
  EXPECT_TRUE(settings.table.contains("ok"));
  ASSERT_EQ(settings.problems.size(), 3u);
  std::map<std::string, std::string> by_key;
  for (const auto& problem : settings.problems) {
    by_key[problem.key] = problem.problem.message;
  }
  EXPECT_THAT(by_key["n"], HasSubstr("key 'n' for plugin 'demo_sink': null"));
  EXPECT_THAT(by_key["big"], HasSubstr("64-bit integer"));
  EXPECT_THAT(by_key["nul"], HasSubstr("NUL character"));
  EXPECT_THAT(by_key["nul"], Not(HasSubstr("pass")));
}

TEST(SettingsBodyTest, BadJsonIsRefusedWithThePositionButNotTheText) {
  std::string problem;
  EXPECT_FALSE(parse_settings_body(R"({"dsn": "secret-pw)", problem));
  EXPECT_THAT(problem, HasSubstr("not valid JSON"));
  EXPECT_THAT(problem, HasSubstr("line 1, column"));
  EXPECT_THAT(problem, Not(HasSubstr("secret-pw")));
  EXPECT_THAT(problem, Not(HasSubstr("last read")));
  EXPECT_THAT(problem, Not(HasSubstr("json.exception")));

  EXPECT_FALSE(parse_settings_body("{\"dsn\": \"secret\tpw\"}", problem));
  EXPECT_THAT(problem, Not(HasSubstr("secret")));
  EXPECT_FALSE(parse_settings_body(R"({"a": 1,})", problem));
  EXPECT_THAT(problem, HasSubstr("expected string literal"));

  EXPECT_FALSE(parse_settings_body("[1, 2]", problem));
  EXPECT_THAT(problem, HasSubstr("is an array; send a JSON object"));
  EXPECT_FALSE(parse_settings_body(" \n", problem));
  EXPECT_THAT(problem, HasSubstr("empty"));
  EXPECT_TRUE(parse_settings_body(R"({"path": "-"})", problem));
}

TEST(ValidateJsonTest, AGoodConfigHasNoErrorsAndItsDefaultsFilledIn) {
  const json answer = validate_json(
      "demo_sink", kConfigMap,
      json::parse(R"({"path": "-", "keep": 3, "ratio": 1, "compress": true})"));
  EXPECT_EQ(answer["name"], "demo_sink");
  EXPECT_EQ(answer["error_count"], 0);
  EXPECT_EQ(answer["groups"], json::array());
  ASSERT_EQ(answer["configs"].size(), std::size(kConfigMap));
  const json& first = answer["configs"][0];
  EXPECT_EQ(first["definition"]["name"], "path");
  EXPECT_EQ(first["definition"]["type"], "STRING");
  EXPECT_EQ(first["definition"]["required"], true);
  EXPECT_EQ(first["value"], json({{"name", "path"},
                                  {"value", "-"},
                                  {"recommended_values", json::array()},
                                  {"errors", json::array()},
                                  {"visible", true}}));
  EXPECT_EQ(value_of(answer, "keep")["value"], "3");
  EXPECT_EQ(value_of(answer, "ratio")["value"], "1");
  EXPECT_EQ(value_of(answer, "compress")["value"], "true");
  EXPECT_EQ(value_of(answer, "format")["value"], "json");
  EXPECT_EQ(value_of(answer, "format")["recommended_values"],
            json({"json", "text"}));
  EXPECT_EQ(value_of(answer, "dsn")["value"], "********");
}

TEST(ValidateJsonTest, ErrorsAreTheMessagesOfRdconnectValidate) {
  const json answer =
      validate_json("demo_sink", kConfigMap,
                    json::parse(R"({"paht": "-", "keep": 11, "ratio": "half",
                      "compress": 1, "format": "xml"})"));
  const std::vector<std::string> expected = cli_messages(
      "paht = \"-\"\nkeep = 11\nratio = \"half\"\ncompress = 1\n"
      "format = \"xml\"\n");
  ASSERT_EQ(expected.size(), 6u);  // and path is missing
  EXPECT_EQ(answer_messages(answer), expected);
  EXPECT_EQ(answer["error_count"], 6);
  EXPECT_THAT(
      value_of(answer, "keep")["errors"][0].get<std::string>(),
      HasSubstr("11 is out of range; expected an integer from 1 to 10"));
  EXPECT_EQ(value_of(answer, "keep")["value"], "11");
  EXPECT_EQ(value_of(answer, "compress")["value"], "1");
  EXPECT_THAT(value_of(answer, "path")["errors"][0].get<std::string>(),
              HasSubstr("missing required key 'path'"));
  // The unknown key comes last, with the did-you-mean, and its value unseen.
  const json& unknown = answer["configs"].back();
  EXPECT_EQ(unknown["definition"]["name"], "paht");
  EXPECT_TRUE(unknown["definition"]["type"].is_null());
  EXPECT_TRUE(unknown["value"]["value"].is_null());
  EXPECT_THAT(unknown["value"]["errors"][0].get<std::string>(),
              HasSubstr("unknown key 'paht' for plugin 'demo_sink' (did you "
                        "mean 'path'?)"));
}

TEST(ValidateJsonTest, ASecretIsMaskedWhetherRightOrWrong) {
  for (const char* body :
       {R"({"path": "-", "dsn": "hunter2"})", R"({"path": "-", "dsn": 424242})",
        R"({"path": "-", "dsn": ["hunter2"]})"}) {
    const json answer =
        validate_json("demo_sink", kConfigMap, json::parse(body));
    EXPECT_EQ(value_of(answer, "dsn")["value"], "********") << body;
    EXPECT_THAT(answer.dump(), Not(HasSubstr("hunter2"))) << body;
    EXPECT_THAT(answer.dump(), Not(HasSubstr("424242"))) << body;
  }
  const json wrong = validate_json(
      "demo_sink", kConfigMap, json::parse(R"({"path": "-", "dsn": 424242})"));
  EXPECT_EQ(wrong["error_count"], 1);
}

TEST(ValidateJsonTest, ANullIsAnErrorAndShownAsNull) {
  const json answer = validate_json(
      "demo_sink", kConfigMap, json::parse(R"({"path": "-", "format": null})"));
  EXPECT_EQ(answer["error_count"], 1);
  EXPECT_TRUE(value_of(answer, "format")["value"].is_null());
  EXPECT_THAT(value_of(answer, "format")["errors"][0].get<std::string>(),
              HasSubstr("null is not a value"));
}

TEST(PluginDefinitionTest, ConnectTypesRangesAndAHiddenSecretDefault) {
  const json definitions = config_definitions_json(kConfigMap);
  ASSERT_EQ(definitions.size(), std::size(kConfigMap));
  EXPECT_EQ(definitions[1]["type"], "STRING");
  EXPECT_EQ(definitions[1]["default_value"], "json");
  EXPECT_EQ(definitions[1]["choices"], json({"json", "text"}));
  EXPECT_EQ(definitions[2]["type"], "LONG");
  EXPECT_EQ(definitions[2]["min_value"], "1");
  EXPECT_EQ(definitions[2]["max_value"], "10");
  EXPECT_EQ(definitions[2]["order"], 3);
  EXPECT_EQ(definitions[3]["type"], "DOUBLE");
  EXPECT_EQ(definitions[4]["type"], "BOOLEAN");
  EXPECT_EQ(definitions[5]["type"], "PASSWORD");
  EXPECT_EQ(definitions[5]["secret"], true);
  EXPECT_EQ(definitions[5]["default_value"], "********");
  EXPECT_TRUE(definitions[0]["default_value"].is_null());
  EXPECT_EQ(definitions[0]["documentation"], "file to append to");
  EXPECT_EQ(definitions[0]["non_empty"], true);
}

TEST(PluginConfigCheckTest, ProblemsCarryTheirKeyAndResolvedValuesRemain) {
  config::PluginSettings settings{
      "demo_sink", toml::parse("path = \"-\"\nkeep = 0\nextra = 1\n"), {}, {}};
  const config::PluginConfigCheck checked =
      config::check_plugin_config(settings, kConfigMap);
  ASSERT_EQ(checked.problems.size(), 2u);
  EXPECT_EQ(checked.problems[0].key, "extra");
  EXPECT_EQ(checked.problems[1].key, "keep");
  ASSERT_FALSE(checked.resolved.entries().empty());
  EXPECT_EQ(checked.resolved.entries()[0].key, "path");
}

// Without a plugin directory the API still answers, with nothing found.
TEST(ConnectorPluginsRouteTest, UnknownPluginsAre404AndTheMethodsChecked) {
  runtime::ConnectorRegistry registry{[] {}};
  ControlApi api{registry, "w"};
  const ApiResponse list = api.handle({"GET", "/connector-plugins", {}, ""});
  EXPECT_EQ(list.status, 200);
  EXPECT_EQ(list.body, json::array());
  EXPECT_EQ(
      api.handle({"GET", "/connector-plugins/nope/config", {}, ""}).status,
      404);
  const ApiResponse validate =
      api.handle({"PUT", "/connector-plugins/nope/config/validate", {}, "{}"});
  EXPECT_EQ(validate.status, 404);
  EXPECT_THAT(validate.body["message"].get<std::string>(),
              HasSubstr("no plugin named 'nope'"));
  const ApiResponse wrong =
      api.handle({"GET", "/connector-plugins/x/config/validate", {}, ""});
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.allow, "PUT");
}

// The fixture libraries: good plugins and broken ones, side by side.
TEST(ConnectorPluginsRouteTest, ARefusedLibraryIsListedAndHidesNoOther) {
  runtime::ConnectorRegistry registry{[] {}};
  ControlApi api{registry, "w", plugin::PluginFinder({RDCONNECT_FIXTURE_DIR})};
  const ApiResponse list = api.handle({"GET", "/connector-plugins", {}, ""});
  ASSERT_EQ(list.status, 200);
  std::map<std::string, json> by_class;
  for (const json& plugin : list.body) by_class[plugin["class"]] = plugin;
  ASSERT_TRUE(by_class.contains("fixture_c_sink")) << list.body.dump();
  const json& good = by_class["fixture_c_sink"];
  EXPECT_EQ(good["type"], "sink");
  EXPECT_FALSE(good["version"].get<std::string>().empty());
  EXPECT_THAT(good["abi"].get<std::string>(), ::testing::StartsWith("1."));
  EXPECT_FALSE(good.contains("refused"));
  EXPECT_EQ(by_class["fixture_cpp_source"]["type"], "source");
  ASSERT_TRUE(by_class.contains("garbage"));
  EXPECT_THAT(by_class["garbage"]["refused"].get<std::string>(),
              HasSubstr("garbage.so"));
  EXPECT_TRUE(by_class["fixture_abi_major_2"].contains("refused"));

  const ApiResponse config =
      api.handle({"GET", "/connector-plugins/fixture_c_sink/config", {}, ""});
  EXPECT_EQ(config.status, 200);
  EXPECT_TRUE(config.body.is_array());
  const ApiResponse refused =
      api.handle({"GET", "/connector-plugins/garbage/config", {}, ""});
  EXPECT_EQ(refused.status, 409);
  const ApiResponse bad_body = api.handle(
      {"PUT", "/connector-plugins/fixture_c_sink/config/validate", {}, "{"});
  EXPECT_EQ(bad_body.status, 400);
  const ApiResponse validated = api.handle(
      {"PUT", "/connector-plugins/fixture_c_sink/config/validate", {}, "{}"});
  EXPECT_EQ(validated.status, 200);
  EXPECT_EQ(validated.body["name"], "fixture_c_sink");
}

}  // namespace
}  // namespace rdconnect::http
