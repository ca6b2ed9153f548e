// A connector's [*.config] table checked against its plugin's config map.
#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rdconnect/plugin.hpp>

#include "config/plugin_config.hpp"
#include "plugin/loaded_plugin.hpp"
#include "test_paths.hpp"

namespace rdconnect::config {
namespace {

using rdconnect::ConfigKey;

// The shape of a log sink's map, plus one key of each remaining type and two
// secrets.
constexpr rdc_config_entry kConfigMap[] = {
    ConfigKey::string("path").required().doc("file to append records to"),
    ConfigKey::string("format")
        .with_default("json")
        .choices("json|text")
        .doc("record format"),
    ConfigKey::integer("rotate_bytes").with_default("0").doc("rotate size"),
    ConfigKey::number("ratio").with_default("0.5").doc("a fraction"),
    ConfigKey::boolean("compress").with_default("false").doc("gzip files"),
    ConfigKey::string("token").secret().doc("access token"),
    ConfigKey::string("mode").secret().choices("alpha|beta").doc("secret mode"),
};

// One key of each kind of range.
constexpr rdc_config_entry kRangedMap[] = {
    ConfigKey::integer("between").with_default("5").min("1").max("10").doc(
        "1 to 10"),
    ConfigKey::integer("floor").with_default("0").min("0").doc("0 or more"),
    ConfigKey::number("ceiling").with_default("1").max("1.5").doc("up to 1.5"),
    ConfigKey::string("name").with_default("x").non_empty().doc("not empty"),
    ConfigKey::integer("pin").secret().min("1000").doc("a secret number"),
};

// [sink.config] as it would sit in a config file, starting on line 1.
PluginSettings settings_from(std::string_view toml_text) {
  return PluginSettings{"log_sink",
                        toml::parse(toml_text, std::string_view("test.toml")),
                        SourceLocation{"test.toml", 1, 1},
                        /*keys_from_files=*/{}};
}

/// Entries as "key=value", with " (secret)" appended for secrets.
std::vector<std::string> entries_of(const ResolvedPluginConfig& resolved) {
  std::vector<std::string> lines;
  for (const ResolvedPluginConfig::Entry& entry : resolved.entries()) {
    lines.push_back(entry.key + "=" + entry.value +
                    (entry.secret ? " (secret)" : ""));
  }
  return lines;
}

std::vector<std::string> problems_of(
    const PluginSettings& settings,
    std::span<const rdc_config_entry> config_map = kConfigMap) {
  try {
    resolve_plugin_config(settings, config_map);
  } catch (const ConfigError& error) {
    std::vector<std::string> lines;
    for (const ConfigProblem& problem : error.problems()) {
      lines.push_back(problem.to_string());
    }
    return lines;
  }
  ADD_FAILURE() << "expected a ConfigError";
  return {};
}

using Problems = std::vector<std::string>;

TEST(PluginConfigTest, DefaultsAreFilledInConfigMapOrder) {
  const ResolvedPluginConfig resolved = resolve_plugin_config(
      settings_from("path = \"/tmp/out.jsonl\"\n"), kConfigMap);
  EXPECT_EQ(entries_of(resolved),
            (std::vector<std::string>{"path=/tmp/out.jsonl", "format=json",
                                      "rotate_bytes=0", "ratio=0.5",
                                      "compress=false"}));
}

TEST(PluginConfigTest, ValuesTakeTheirTextualForm) {
  const ResolvedPluginConfig resolved =
      resolve_plugin_config(settings_from(R"(compress = true
ratio = 0.1
rotate_bytes = -1048576
format = "text"
path = "p"
token = "s3cret"
mode = "beta"
)"),
                            kConfigMap);
  EXPECT_EQ(
      entries_of(resolved),
      (std::vector<std::string>{
          "path=p", "format=text", "rotate_bytes=-1048576", "ratio=0.1",
          "compress=true", "token=s3cret (secret)", "mode=beta (secret)"}));
}

TEST(PluginConfigTest, DoublesRoundTripAndAcceptIntegers) {
  const auto ratio_of = [](std::string_view value) {
    const ResolvedPluginConfig resolved = resolve_plugin_config(
        settings_from("path = \"p\"\nratio = " + std::string(value) + "\n"),
        kConfigMap);
    return resolved.entries().at(3).value;
  };
  EXPECT_EQ(ratio_of("3"), "3");
  EXPECT_EQ(ratio_of("9007199254740993"), "9007199254740993");
  EXPECT_EQ(ratio_of("2.5"), "2.5");
  EXPECT_EQ(ratio_of("0.30000000000000004"), "0.30000000000000004");
  EXPECT_EQ(ratio_of("1e300"), "1e+300");
  EXPECT_EQ(ratio_of("-0.0"), "-0");
}

TEST(PluginConfigTest, AsCPointsAtTheEntries) {
  const ResolvedPluginConfig resolved =
      resolve_plugin_config(settings_from("path = \"p\"\n"), kConfigMap);
  const std::vector<rdc_config_value> values = resolved.as_c();
  ASSERT_EQ(values.size(), resolved.entries().size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(values[i].key, resolved.entries()[i].key.c_str());
    EXPECT_EQ(values[i].value, resolved.entries()[i].value.c_str());
  }
}

TEST(PluginConfigTest, DisplayMasksSecrets) {
  const ResolvedPluginConfig resolved = resolve_plugin_config(
      settings_from("path = \"p\"\ntoken = \"s3cret\"\nmode = \"alpha\"\n"),
      kConfigMap);
  EXPECT_EQ(resolved.to_display_string(),
            "path = p\n"
            "format = json\n"
            "rotate_bytes = 0\n"
            "ratio = 0.5\n"
            "compress = false\n"
            "token = ********\n"
            "mode = ********\n");
}

TEST(PluginConfigTest, UnknownKeyListsTheKnownKeys) {
  EXPECT_EQ(problems_of(settings_from("path = \"p\"\n  colour = \"red\"\n")),
            Problems{"test.toml:2:3: unknown key 'colour' for plugin "
                     "'log_sink'; known keys: path, format, rotate_bytes, "
                     "ratio, compress, token, mode"});
}

TEST(PluginConfigTest, AnyKeyIsUnknownToAPluginWithoutSettings) {
  const PluginSettings settings = settings_from("count = 1\n");
  try {
    resolve_plugin_config(settings, {});
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "test.toml:1:1: unknown key 'count' for plugin 'log_sink'; "
                 "this plugin takes no settings");
  }
}

TEST(PluginConfigTest, MissingRequiredKeyIsReportedAtTheTable) {
  PluginSettings settings = settings_from("format = \"text\"\n");
  settings.location = SourceLocation{"test.toml", 12, 1};
  EXPECT_EQ(problems_of(settings),
            Problems{"test.toml:12:1: missing required key 'path' for plugin "
                     "'log_sink' (file to append records to); set it to a "
                     "string in the connector's config table"});
}

TEST(PluginConfigTest, WrongTypesAreAllReported) {
  EXPECT_EQ(problems_of(settings_from(R"(path = 7
rotate_bytes = "5"
ratio = true
compress = 1
format = ["json"]
)")),
            (Problems{"test.toml:1:8: key 'path' for plugin 'log_sink': "
                      "expected a string, got an integer",
                      "test.toml:2:16: key 'rotate_bytes' for plugin "
                      "'log_sink': expected an integer, got a string",
                      "test.toml:3:9: key 'ratio' for plugin 'log_sink': "
                      "expected a number, got a boolean",
                      "test.toml:4:12: key 'compress' for plugin 'log_sink': "
                      "expected a boolean (true or false), got an integer",
                      "test.toml:5:10: key 'format' for plugin 'log_sink': "
                      "expected a string, got an array"}));
}

TEST(PluginConfigTest, FloatIsNotAnInteger) {
  EXPECT_EQ(problems_of(settings_from("path = \"p\"\nrotate_bytes = 1.5\n")),
            Problems{"test.toml:2:16: key 'rotate_bytes' for plugin "
                     "'log_sink': expected an integer, got a floating-point "
                     "number"});
}

TEST(PluginConfigTest, ValueOutsideChoicesListsThem) {
  EXPECT_EQ(problems_of(settings_from("path = \"p\"\nformat = \"xml\"\n")),
            Problems{"test.toml:2:10: key 'format' for plugin 'log_sink': "
                     "\"xml\" is not allowed; expected one of: json, text"});
}

TEST(PluginConfigTest, SecretValueNeverAppearsInErrors) {
  const PluginSettings settings =
      settings_from("path = \"p\"\nmode = \"hunter2\"\n");
  try {
    resolve_plugin_config(settings, kConfigMap);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_STREQ(error.what(),
                 "test.toml:2:8: key 'mode' for plugin 'log_sink': the value "
                 "(hidden: secret) is not allowed; expected one of: alpha, "
                 "beta");
    EXPECT_EQ(std::string(error.what()).find("hunter2"), std::string::npos);
  }
}

TEST(PluginConfigRangeTest, ValuesWithinTheRangeAndBoundsArePassed) {
  const ResolvedPluginConfig resolved = resolve_plugin_config(
      settings_from("between = 10\nfloor = 0\nceiling = 1.5\npin = 1000\n"),
      kRangedMap);
  EXPECT_EQ(entries_of(resolved),
            (std::vector<std::string>{"between=10", "floor=0", "ceiling=1.5",
                                      "name=x", "pin=1000 (secret)"}));
}

TEST(PluginConfigRangeTest, ValuesOutOfRangeNameTheRange) {
  EXPECT_EQ(
      problems_of(settings_from(R"(between = 0
floor = -1
ceiling = 2
name = ""
)"),
                  kRangedMap),
      (Problems{"test.toml:1:11: key 'between' for plugin 'log_sink': 0 is "
                "out of range; expected an integer from 1 to 10",
                "test.toml:2:9: key 'floor' for plugin 'log_sink': -1 is out "
                "of range; expected an integer of at least 0",
                "test.toml:3:11: key 'ceiling' for plugin 'log_sink': 2 is out "
                "of range; expected a number of at most 1.5",
                "test.toml:4:8: key 'name' for plugin 'log_sink': expected a "
                "non-empty string, got an empty string"}));
}

TEST(PluginConfigRangeTest, NotANumberIsOutOfEveryRange) {
  EXPECT_EQ(problems_of(settings_from("ceiling = nan\n"), kRangedMap),
            Problems{"test.toml:1:11: key 'ceiling' for plugin 'log_sink': "
                     "nan is out of range; expected a number of at most 1.5"});
}

TEST(PluginConfigRangeTest, SecretOutOfRangeIsNotShown) {
  EXPECT_EQ(problems_of(settings_from("pin = 417\n"), kRangedMap),
            Problems{"test.toml:1:7: key 'pin' for plugin 'log_sink': the "
                     "value (hidden: secret) is out of range; expected an "
                     "integer of at least 1000"});
}

// The shipped plugins' own maps, loaded from build/plugins: the values that
// once passed validate and then failed the connector at run time.
struct ShippedCase {
  std::string plugin;
  std::string toml;
  std::string problem;
};

void PrintTo(const ShippedCase& shipped, std::ostream* out) {
  *out << shipped.plugin << ": " << shipped.toml;
}

class ShippedPluginRangeTest : public ::testing::TestWithParam<ShippedCase> {};

TEST_P(ShippedPluginRangeTest, RefusesTheValueAtItsPosition) {
  const auto plugin = plugin::load_plugin(testing::plugin_directory() /
                                          (GetParam().plugin + ".so"));
  PluginSettings settings = settings_from(GetParam().toml);
  settings.plugin = GetParam().plugin;
  EXPECT_EQ(problems_of(settings, plugin->config_map()),
            Problems{GetParam().problem});
}

INSTANTIATE_TEST_SUITE_P(
    Values, ShippedPluginRangeTest,
    ::testing::Values(
        ShippedCase{"postgres_sink",
                    "dsn = \"postgresql://h/db\"\ntable = \"\"\n",
                    "test.toml:2:9: key 'table' for plugin 'postgres_sink': "
                    "expected a non-empty string, got an empty string"},
        ShippedCase{"postgres_sink",
                    "dsn = \"postgresql://h/db\"\ntable = \"t\"\n"
                    "batch_max_records = 0\n",
                    "test.toml:3:21: key 'batch_max_records' for plugin "
                    "'postgres_sink': 0 is out of range; expected an integer "
                    "from 1 to 2147483647"},
        ShippedCase{"uuid_source", "rate = -1\n",
                    "test.toml:1:8: key 'rate' for plugin 'uuid_source': -1 is "
                    "out of range; expected an integer from 0 to 1000000000"},
        ShippedCase{"uuid_source", "keys = -3\n",
                    "test.toml:1:8: key 'keys' for plugin 'uuid_source': -3 is "
                    "out of range; expected an integer of at least 0"},
        ShippedCase{"uuid_source", "value_bytes = 999999999999\n",
                    "test.toml:1:15: key 'value_bytes' for plugin "
                    "'uuid_source': 999999999999 is out of range; expected an "
                    "integer from 0 to 1000000000"},
        ShippedCase{"log_sink", "rotate_keep = 0\n",
                    "test.toml:1:15: key 'rotate_keep' for plugin 'log_sink': "
                    "0 is out of range; expected an integer from 1 to 1000"},
        ShippedCase{"log_sink", "path = \"\"\n",
                    "test.toml:1:8: key 'path' for plugin 'log_sink': expected "
                    "a non-empty string, got an empty string"}));

TEST(PluginConfigTest, CopiedSettingsReportAtTheTable) {
  // toml++ drops value positions when a table is copied; problems then fall
  // back to the table's own location instead of claiming line 0.
  const PluginSettings parsed = settings_from("path = 7\n");
  PluginSettings copy{parsed.plugin, toml::table(parsed.table),
                      SourceLocation{"test.toml", 9, 1},
                      /*keys_from_files=*/{}};
  EXPECT_EQ(problems_of(copy),
            Problems{"test.toml:9:1: key 'path' for plugin 'log_sink': "
                     "expected a string, got an integer"});
}

}  // namespace
}  // namespace rdconnect::config
