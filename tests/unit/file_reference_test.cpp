// ${file:PATH} in config strings: expansion, where relative paths lead, and
// that what a file holds stays a secret in every message and display.
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rdconnect/plugin.hpp>

#include "config/env_expand.hpp"
#include "config/host_config.hpp"
#include "config/plugin_config.hpp"
#include "test_paths.hpp"

namespace rdconnect::config {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Problems = std::vector<std::string>;

// In every file whose contents must not leak, so that a leak is easy to see.
const std::string kSecret = "XYZZY-s3cret";

std::optional<std::string> no_variables(const std::string&) {
  return std::nullopt;
}

std::optional<std::string> only_set_variable(const std::string& name) {
  if (name == "SET") return "from-env";
  return std::nullopt;
}

/// The message expanding `text` in `directory` throws, or "no error".
std::string expansion_error(std::string_view text,
                            const std::filesystem::path& directory) {
  try {
    expand_config_value(text, no_variables, directory);
  } catch (const EnvExpandError& error) {
    return error.what();
  }
  return "no error";
}

class FileReferenceTest : public ::testing::Test {
 protected:
  std::filesystem::path file(const std::string& name,
                             const std::string& contents) const {
    const std::filesystem::path path = scratch_ / name;
    std::filesystem::create_directories(path.parent_path());
    testing::write_text(path, contents);
    return path;
  }

  ExpandedValue expand(std::string_view text) const {
    return expand_config_value(text, only_set_variable, scratch_.path());
  }

  /// The config `text` as the file conf.toml of the scratch directory.
  HostConfig parse(std::string_view text) const {
    return parse_host_config(text, scratch_ / "conf.toml", no_variables);
  }

  Problems problems_of(std::string_view text) const {
    try {
      parse(text);
    } catch (const ConfigError& error) {
      Problems lines;
      for (const ConfigProblem& problem : error.problems()) {
        lines.push_back(problem.to_string());
      }
      return lines;
    }
    ADD_FAILURE() << "expected a ConfigError for:\n" << text;
    return {};
  }

  std::string at(const std::string& name) const {
    return (scratch_ / name).string();
  }

  testing::ScratchDirectory scratch_{"rdconnect-file-reference"};
};

// ---------------------------------------------------------- expansion

TEST_F(FileReferenceTest, ContentsReplaceTheReference) {
  file("password", "hunter2");
  const ExpandedValue value = expand("user:${file:password}@host");
  EXPECT_EQ(value.text, "user:hunter2@host");
  EXPECT_TRUE(value.holds_file_contents);
}

TEST_F(FileReferenceTest, OneTrailingNewlineIsDropped) {
  file("lf", "hunter2\n");
  file("crlf", "hunter2\r\n");
  file("two", "hunter2\n\n");
  file("inner", "a\nb");
  file("empty", "");
  EXPECT_EQ(expand("${file:lf}").text, "hunter2");
  EXPECT_EQ(expand("${file:crlf}").text, "hunter2");
  EXPECT_EQ(expand("${file:two}").text, "hunter2\n");
  EXPECT_EQ(expand("${file:inner}").text, "a\nb");
  EXPECT_EQ(expand("[${file:empty}]").text, "[]");
}

TEST_F(FileReferenceTest, RelativePathIsRelativeToTheConfigDirectory) {
  file("secrets/password", "hunter2");
  EXPECT_EQ(expand("${file:secrets/password}").text, "hunter2");
  // The working directory plays no part, and an absolute path is as written.
  const std::filesystem::path absolute = file("absolute", "abs");
  EXPECT_EQ(expand_config_value("${file:" + absolute.string() + "}",
                                no_variables, "/nonexistent")
                .text,
            "abs");
}

TEST_F(FileReferenceTest, ReferencesCombineWithEnvironmentVariables) {
  file("password", "hunter2");
  EXPECT_EQ(expand("${env:SET}/${file:password}").text, "from-env/hunter2");
  EXPECT_EQ(expand("${env:UNSET:-${file:password}}").text, "hunter2");
  EXPECT_EQ(expand("$${file:password}").text, "${file:password}");
}

TEST_F(FileReferenceTest, OnlyAValueHoldingAFileIsMarked) {
  EXPECT_FALSE(expand("${env:SET}").holds_file_contents);
  // A default that is not used is not read: no error, and no mark.
  const ExpandedValue unused = expand("${env:SET:-${file:missing}}");
  EXPECT_EQ(unused.text, "from-env");
  EXPECT_FALSE(unused.holds_file_contents);
}

TEST_F(FileReferenceTest, UnreadableFileErrorSaysWhichAndWhy) {
  EXPECT_EQ(expansion_error("x${file:missing}", scratch_.path()),
            "cannot read file " + at("missing") +
                " (the reference at character 2): No such file or directory");
  std::filesystem::create_directory(scratch_ / "directory");
  EXPECT_EQ(expansion_error("${file:directory}", scratch_.path()),
            "cannot read file " + at("directory") +
                " (the reference at character 1): Is a directory");
}

TEST_F(FileReferenceTest, FileWithANulByteIsRefusedWithoutItsContents) {
  file("binary", kSecret + std::string(1, '\0') + "tail");
  const std::string error = expansion_error("${file:binary}", scratch_.path());
  EXPECT_EQ(error, "file " + at("binary") +
                       " (the reference at character 1) holds a NUL byte, "
                       "which would cut the value short; a ${file:...} must "
                       "be text");
}

TEST_F(FileReferenceTest, MalformedReferencesAreErrors) {
  EXPECT_EQ(expansion_error("${file:}", scratch_.path()),
            "empty path in the reference at character 1; write ${file:PATH}");
  EXPECT_EQ(expansion_error("ab${file:password", scratch_.path()),
            "unterminated reference at character 3; close it with '}' (write "
            "$${ for a literal ${)");
  EXPECT_EQ(expansion_error("${password}", scratch_.path()),
            "unknown reference at character 1; only ${env:NAME}, "
            "${env:NAME:-default} and ${file:PATH} are supported (write $${ "
            "for a literal ${)");
}

TEST_F(FileReferenceTest, ExpandEnvReadsNoFiles) {
  file("password", "hunter2");
  try {
    expand_env("${file:password}", no_variables);
    FAIL() << "expected an EnvExpandError";
  } catch (const EnvExpandError& error) {
    EXPECT_STREQ(error.what(),
                 "unknown reference at character 1; only ${env:NAME} and "
                 "${env:NAME:-default} are supported (write $${ for a literal "
                 "${)");
  }
}

// ------------------------------------------------------- config file

TEST_F(FileReferenceTest, ConfigReadsFilesBesideIt) {
  file("kafka-password", kSecret + "\n");
  const HostConfig config = parse(R"([kafka]
"sasl.password" = "${file:kafka-password}"
[[source]]
name = "s"
plugin = "p"
topic = "t"
)");
  EXPECT_EQ(config.kafka.at("sasl.password"), kSecret);
}

TEST_F(FileReferenceTest, UnreadableFileIsReportedAtTheValue) {
  EXPECT_EQ(problems_of(R"([kafka]
"sasl.password" = "${file:missing}"
[[source]]
name = "s"
plugin = "p"
topic = "t"
)"),
            Problems{at("conf.toml") +
                     ":2:19: kafka.\"sasl.password\": cannot read file " +
                     at("missing") +
                     " (the reference at character 1): No such file or "
                     "directory"});
}

// Whatever message a value would be quoted in, a file's contents are not.
TEST_F(FileReferenceTest, HostSettingErrorsHideFileContents) {
  file("tolerance", kSecret);
  file("protocol", kSecret);
  const Problems problems = problems_of(R"([kafka]
"security.protocol" = "${file:protocol}"
[[sink]]
name = "s"
plugin = "p"
topics = ["t"]
errors = { tolerance = "${file:tolerance}" }
)");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_THAT(problems[0], HasSubstr("librdkafka refuses it"));
  EXPECT_EQ(problems[1], at("conf.toml") +
                             ":7:24: sink \"s\".errors.tolerance: unknown "
                             "tolerance \"(hidden: secret)\"; expected one "
                             "of: none, all");
  for (const std::string& problem : problems) {
    EXPECT_THAT(problem, Not(HasSubstr(kSecret))) << problem;
    EXPECT_THAT(problem, HasSubstr("(hidden: secret)")) << problem;
  }
}

TEST_F(FileReferenceTest, PluginSettingsNameTheKeysHoldingFiles) {
  file("password", "hunter2");
  const HostConfig config = parse(R"([[source]]
name = "s"
plugin = "p"
topic = "t"
[source.config]
token = "${file:password}"
nested = { list = ["x", "${file:password}"] }
plain = "${env:UNSET:-x}"
count = 3
)");
  ASSERT_EQ(config.sources.size(), 1u);
  const PluginSettings& settings = config.sources[0].settings;
  EXPECT_EQ(settings.keys_from_files,
            (std::set<std::string>{"token", "nested"}));
  EXPECT_EQ(settings.table["token"].value<std::string>(), "hunter2");
}

// ----------------------------------------------------- plugin settings

// None of these keys is declared secret.
constexpr rdc_config_entry kConfigMap[] = {
    ConfigKey::string("dsn").doc("where to connect"),
    ConfigKey::string("format")
        .with_default("json")
        .choices("json|text")
        .doc("record format"),
    ConfigKey::integer("batch").with_default("1").doc("records per write"),
    ConfigKey::string("label").with_default("x").doc("shown as is"),
};

class PluginFileReferenceTest : public FileReferenceTest {
 protected:
  /// The [source.config] table `settings`, resolved against kConfigMap.
  ResolvedPluginConfig resolve(std::string_view settings) const {
    return resolve_plugin_config(source_settings(settings), kConfigMap);
  }

  Problems resolve_problems(std::string_view settings) const {
    try {
      resolve(settings);
    } catch (const ConfigError& error) {
      Problems lines;
      for (const ConfigProblem& problem : error.problems()) {
        lines.push_back(problem.to_string());
      }
      return lines;
    }
    ADD_FAILURE() << "expected a ConfigError for:\n" << settings;
    return {};
  }

 private:
  PluginSettings source_settings(std::string_view settings) const {
    const std::string text =
        "[[source]]\nname = \"s\"\nplugin = \"p\"\ntopic = \"t\"\n"
        "[source.config]\n" +
        std::string(settings);
    // Moved, not copied: a copied table loses its source positions.
    return std::move(parse(text).sources.at(0).settings);
  }
};

TEST_F(PluginFileReferenceTest, ValueFromAFileIsMaskedAsASecret) {
  file("dsn", "postgresql://u:" + kSecret + "@db/x\n");
  const ResolvedPluginConfig resolved =
      resolve("dsn = \"${file:dsn}\"\nlabel = \"plain\"\n");
  EXPECT_EQ(resolved.to_display_string(),
            "dsn = ********\nformat = json\nbatch = 1\nlabel = plain\n");
  EXPECT_TRUE(resolved.entries().at(0).secret);
  EXPECT_FALSE(resolved.entries().at(3).secret);
  // The plugin still gets the value.
  EXPECT_EQ(resolved.entries().at(0).value,
            "postgresql://u:" + kSecret + "@db/x");
}

TEST_F(PluginFileReferenceTest, BadValueFromAFileIsNotQuoted) {
  file("format", kSecret);
  file("batch", "12");
  const Problems problems = resolve_problems(
      "format = \"${file:format}\"\nbatch = \"${file:batch}\"\n");
  EXPECT_EQ(
      problems,
      (Problems{
          at("conf.toml") + ":6:10: key 'format' for plugin 'p': the value "
                            "(hidden: secret) is not allowed; expected one of: "
                            "json, text",
          at("conf.toml") + ":7:9: key 'batch' for plugin 'p': expected an "
                            "integer, got a string"}));
  for (const std::string& problem : problems) {
    EXPECT_THAT(problem, Not(HasSubstr(kSecret))) << problem;
  }
}

}  // namespace
}  // namespace rdconnect::config
