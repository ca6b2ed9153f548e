// Loading plugin libraries, checking their descriptors, finding them by
// name and describing them; against the fixture libraries built from
// tests/fixtures.
#include <stdlib.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugin/describe.hpp"
#include "plugin/loaded_plugin.hpp"
#include "plugin/plugin_finder.hpp"

namespace rdconnect::plugin {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::filesystem::path kFixtureDir = RDCONNECT_FIXTURE_DIR;

std::filesystem::path fixture(const std::string& name) {
  return kFixtureDir / (name + ".so");
}

// The message load_plugin() refuses `file` with; a test failure if it loads.
std::string refusal_of(const std::filesystem::path& file) {
  try {
    load_plugin(file);
  } catch (const PluginLoadError& error) {
    return error.what();
  }
  ADD_FAILURE() << file << " was loaded but should have been refused";
  return "";
}

// ---------------------------------------------------------------------------
// Refusals

struct Refusal {
  std::string fixture;
  std::string reason;
};

void PrintTo(const Refusal& refusal, std::ostream* out) {
  *out << refusal.fixture;
}

class RefusedPluginTest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusedPluginTest, NamesFileAndReason) {
  const std::filesystem::path file = fixture(GetParam().fixture);
  EXPECT_THAT(refusal_of(file),
              AllOf(HasSubstr(file.string()), HasSubstr(GetParam().reason)));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, RefusedPluginTest,
    ::testing::Values(
        Refusal{"garbage", "cannot load plugin library '" +
                               fixture("garbage").string() +
                               "': not an ELF file (it does not start with "
                               "the ELF magic number); rebuild or reinstall "
                               "the plugin"},
        Refusal{"missing", "cannot load plugin library '" +
                               fixture("missing").string() +
                               "': cannot read it: No such file or directory"},
        Refusal{"fixture_no_entry",
                "is not an rdconnect plugin: it does not export "
                "rdc_plugin_entry (build it with RDCONNECT_SINK_PLUGIN / "
                "RDCONNECT_SOURCE_PLUGIN, or export the C function)"},
        Refusal{"fixture_null_entry",
                "refused: rdc_plugin_entry() returned NULL; it must return a "
                "pointer to a static rdc_plugin_descriptor"},
        Refusal{"fixture_abi_major_2",
                "refused: built against ABI 2.x; this host speaks 1.x; "
                "rebuild the plugin against this host's SDK"},
        Refusal{"fixture_unknown_size",
                "refused: descriptor size 24 is unknown for ABI 1.3 "
                "(expected " +
                    std::to_string(sizeof(rdc_plugin_descriptor)) + ")"},
        Refusal{"fixture_unknown_kind",
                "refused: the descriptor's kind is 7; set it to "
                "RDC_KIND_SOURCE (1) or RDC_KIND_SINK (2)"},
        Refusal{"fixture_null_flush",
                "refused: its rdc_sink_api has no flush function (NULL); it "
                "is required"},
        Refusal{"fixture_abi_1_2_without_open",
                "refused: its rdc_sink_api has no open function (NULL); it "
                "is required, and before ABI 1.3 so are open, close and ack: "
                "set them, even if they only return RDC_OK, or build against "
                "ABI 1.3"},
        Refusal{"fixture_bad_api_size",
                "refused: api_size 8 is unknown for ABI 1.3 (expected " +
                    std::to_string(sizeof(rdc_sink_api)) +
                    "); set it to sizeof(rdc_sink_api) and rebuild"},
        Refusal{"fixture_bad_example",
                "refused: config key 'batch_size' has example \"many\", "
                "which is not a valid int; write it as a decimal integer such "
                "as \"10\""},
        Refusal{"fixture_bad_int_default",
                "refused: config key 'batch_size' has default \"abc\", which "
                "is not a valid int; write it as a decimal integer such as "
                "\"10\""},
        Refusal{"fixture_bad_entry_size",
                "refused: config_entry_size 8 is unknown for ABI 1.3 "
                "(expected " +
                    std::to_string(sizeof(rdc_config_entry)) +
                    "); set it to sizeof(rdc_config_entry) and rebuild"},
        Refusal{"fixture_bad_min",
                "refused: config key 'batch_size' has min \"ten\", which is "
                "not a valid int; write it as a decimal integer such as "
                "\"10\""},
        Refusal{"fixture_min_above_max",
                "refused: config key 'batch_size' has min 50 above its max "
                "20; no value would be allowed"},
        Refusal{"fixture_default_out_of_range",
                "refused: config key 'batch_size' has default \"100\", "
                "which its own range does not allow; expected an integer "
                "from 200 to 10000"},
        Refusal{"fixture_wrong_name",
                "refused: plugin file 'fixture_wrong_name.so' declares name "
                "'someone_else'; the file must be named someone_else.so"}),
    [](const ::testing::TestParamInfo<Refusal>& info) {
      return info.param.fixture;
    });

TEST(LoadPluginTest, NoEntryPointMessageStartsWithTheFile) {
  const std::filesystem::path file = fixture("fixture_no_entry");
  EXPECT_THAT(refusal_of(file),
              ::testing::StartsWith("'" + file.string() + "' is not"));
}

// ---------------------------------------------------------------------------
// Good plugins

// An rdc_config_entry with owned strings, comparable and printable.
struct ConfigEntry {
  std::string key;
  rdc_config_type type;
  std::optional<std::string> default_value;
  bool required;
  bool secret;
  std::optional<std::string> choices;
  std::string doc;
  std::optional<std::string> min_value = std::nullopt;
  std::optional<std::string> max_value = std::nullopt;
  bool non_empty = false;

  bool operator==(const ConfigEntry&) const = default;
};

std::optional<std::string> optional_text(const char* text) {
  if (text == nullptr) return std::nullopt;
  return text;
}

std::vector<ConfigEntry> entries_of(std::span<const rdc_config_entry> map) {
  std::vector<ConfigEntry> entries;
  for (const rdc_config_entry& entry : map) {
    entries.push_back({entry.key, entry.type,
                       optional_text(entry.default_value), entry.required != 0,
                       entry.secret != 0, optional_text(entry.choices),
                       entry.doc, optional_text(entry.min_value),
                       optional_text(entry.max_value), entry.non_empty != 0});
  }
  return entries;
}

void PrintTo(const ConfigEntry& entry, std::ostream* out) {
  *out << "{" << entry.key << ", type " << entry.type << ", default "
       << entry.default_value.value_or("(none)") << ", required "
       << entry.required << ", secret " << entry.secret << ", choices "
       << entry.choices.value_or("(none)") << ", " << entry.doc << ", min "
       << entry.min_value.value_or("(none)") << ", max "
       << entry.max_value.value_or("(none)") << ", non_empty "
       << entry.non_empty << "}";
}

// An rdc_host that records what the plugin logs.
class FakeHost {
 public:
  FakeHost() {
    host_.struct_size = sizeof(rdc_host);
    host_.opaque = this;
    host_.connector_name = "test-connector";
    host_.log = [](void* opaque, rdc_log_level, const char* message) {
      static_cast<FakeHost*>(opaque)->logged_.emplace_back(message);
    };
    host_.record_error = [](void* opaque, const rdc_record*,
                            const char* message) {
      static_cast<FakeHost*>(opaque)->logged_.push_back(
          std::string("unexpected record_error: ") + message);
    };
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const rdc_host* get() const { return &host_; }
  const std::vector<std::string>& logged() const { return logged_; }

 private:
  rdc_host host_{};
  std::vector<std::string> logged_;
};

std::array<rdc_record, 3> three_records() {
  std::array<rdc_record, 3> records{};
  for (size_t i = 0; i < records.size(); ++i) {
    records[i].topic = "events";
    records[i].partition = 0;
    records[i].offset = static_cast<int64_t>(i);
    records[i].timestamp_ms = -1;
    records[i].value = {"v", 1};
  }
  return records;
}

// create → put 2 → put 1 → flush → destroy, returning what the sink logged.
std::vector<std::string> drive_sink(const rdc_sink_api& sink,
                                    std::span<const rdc_config_value> config) {
  FakeHost host;
  char errstr[RDC_ERRSTR_SIZE] = "";
  void* instance = nullptr;
  EXPECT_EQ(sink.create(host.get(), config.data(), config.size(), &instance,
                        errstr, sizeof errstr),
            RDC_OK)
      << errstr;
  if (instance == nullptr) return host.logged();
  std::array<rdc_record, 3> records = three_records();
  EXPECT_EQ(sink.put(instance, records.data(), 2, errstr, sizeof errstr),
            RDC_OK)
      << errstr;
  EXPECT_EQ(sink.put(instance, records.data() + 2, 1, errstr, sizeof errstr),
            RDC_OK)
      << errstr;
  EXPECT_EQ(sink.flush(instance, errstr, sizeof errstr), RDC_OK) << errstr;
  sink.destroy(instance);
  return host.logged();
}

TEST(LoadPluginTest, LoadsPlainCSink) {
  const std::filesystem::path file = fixture("fixture_c_sink");
  std::shared_ptr<const LoadedPlugin> plugin = load_plugin(file);

  EXPECT_EQ(plugin->file(), file);
  EXPECT_EQ(plugin->name(), "fixture_c_sink");
  EXPECT_EQ(plugin->kind(), RDC_KIND_SINK);
  EXPECT_EQ(plugin->version(), "1.2.3");
  EXPECT_EQ(plugin->description(), "Counts records (plain C)");
  EXPECT_EQ(plugin->abi_major(), RDC_ABI_VERSION_MAJOR);
  EXPECT_EQ(plugin->abi_minor(), RDC_ABI_VERSION_MINOR);
  EXPECT_THAT(
      entries_of(plugin->config_map()),
      ElementsAre(ConfigEntry{"path", RDC_CONFIG_STRING, "-", false, false,
                              std::nullopt, "Where the records would go",
                              std::nullopt, std::nullopt, true},
                  ConfigEntry{"format", RDC_CONFIG_STRING, "json", false, false,
                              "json|text", "How records would be written"},
                  ConfigEntry{"batch_size", RDC_CONFIG_INT, "100", false, false,
                              std::nullopt, "Records per write", "1", "10000"},
                  ConfigEntry{"token", RDC_CONFIG_STRING, std::nullopt, true,
                              true, std::nullopt, "Access token"}));
}

// The same plugin built against the 1.0 header: a smaller descriptor without
// config_entry_size, and entries without the 1.1 fields. Every entry must
// read right (a wrong stride would garble all but the first), with no range.
TEST(LoadPluginTest, LoadsPluginBuiltAgainstAbi1_0) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_abi_1_0"));

  EXPECT_EQ(plugin->abi_minor(), 0);
  EXPECT_THAT(
      entries_of(plugin->config_map()),
      ElementsAre(ConfigEntry{"path", RDC_CONFIG_STRING, "-", false, false,
                              std::nullopt, "Where the records would go"},
                  ConfigEntry{"format", RDC_CONFIG_STRING, "json", false, false,
                              "json|text", "How records would be written"},
                  ConfigEntry{"batch_size", RDC_CONFIG_INT, "100", false, false,
                              std::nullopt, "Records per write"},
                  ConfigEntry{"token", RDC_CONFIG_STRING, std::nullopt, true,
                              true, std::nullopt, "Access token"}));
}

// A 1.1 descriptor ends before check_connection: the host must not read
// it (the fixture's bytes there hold a pointer all the same).
TEST(LoadPluginTest, LoadsPluginBuiltAgainstAbi1_1WithoutAConnectionCheck) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_abi_1_1"));
  EXPECT_EQ(plugin->abi_minor(), 1);
  EXPECT_EQ(plugin->config_map().size(), 4u);
  EXPECT_EQ(plugin->check_connection(), nullptr);
  EXPECT_NE(load_plugin(fixture("fixture_c_sink"))->check_connection(),
            nullptr);
}

// A 1.2 descriptor ends before api_size: the host takes the 1.0 table's
// size instead, and the 1.2 entries' stride.
TEST(LoadPluginTest, LoadsPluginBuiltAgainstAbi1_2) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_abi_1_2"));
  EXPECT_EQ(plugin->abi_minor(), 2);
  EXPECT_NE(plugin->sink().open, nullptr);
  EXPECT_NE(plugin->sink().destroy, nullptr);
  EXPECT_NE(plugin->check_connection(), nullptr);
  // Its entries have the 1.1 stride, without example.
  ASSERT_EQ(plugin->config_map().size(), 4u);
  EXPECT_EQ(plugin->config_map()[2].example, nullptr);
  EXPECT_STREQ(plugin->config_map()[2].max_value, "10000");
}

TEST(LoadPluginTest, ReadsTheExampleOfAnAbi1_3Entry) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_c_sink"));
  ASSERT_EQ(plugin->config_map().size(), 4u);
  EXPECT_STREQ(plugin->config_map()[2].example, "500");
  EXPECT_EQ(plugin->config_map()[0].example, nullptr);
}

// ABI 1.3 made open and close optional: the sink loads, its table says
// NULL, and the rest of it runs.
TEST(LoadPluginTest, LoadsAbi1_3SinkWithoutOpenAndClose) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_without_open"));
  EXPECT_EQ(plugin->sink().open, nullptr);
  EXPECT_EQ(plugin->sink().close, nullptr);
  const std::array<rdc_config_value, 4> config = {{{"path", "-"},
                                                   {"format", "json"},
                                                   {"batch_size", "100"},
                                                   {"token", "t0ken"}}};
  EXPECT_THAT(drive_sink(plugin->sink(), config),
              ElementsAre("created with format=json", "flushed 3 records",
                          "destroyed after 3 records in 1 flushes"));
}

// ABI 1.3 made a source's ack optional: the C source loads with it NULL
// (pipeline_test runs it against the broker).
TEST(LoadPluginTest, LoadsAbi1_3SourceWithoutAck) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_c_source"));
  EXPECT_EQ(plugin->kind(), RDC_KIND_SOURCE);
  EXPECT_EQ(plugin->source().ack, nullptr);
  EXPECT_NE(plugin->source().poll, nullptr);
}

TEST(LoadPluginTest, DrivesPlainCSinkThroughItsFunctionTable) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_c_sink"));
  const std::array<rdc_config_value, 4> config = {{{"path", "-"},
                                                   {"format", "text"},
                                                   {"batch_size", "100"},
                                                   {"token", "t0ken"}}};

  EXPECT_THAT(drive_sink(plugin->sink(), config),
              ElementsAre("created with format=text", "flushed 3 records",
                          "destroyed after 3 records in 1 flushes"));
}

TEST(LoadPluginTest, LoadsCppSink) {
  const std::filesystem::path file = fixture("fixture_cpp_sink");
  std::shared_ptr<const LoadedPlugin> plugin = load_plugin(file);

  EXPECT_EQ(plugin->file(), file);
  EXPECT_EQ(plugin->name(), "fixture_cpp_sink");
  EXPECT_EQ(plugin->kind(), RDC_KIND_SINK);
  EXPECT_EQ(plugin->version(), "2.0.0");
  EXPECT_EQ(plugin->description(), "Counts records (C++ layer)");
  EXPECT_EQ(plugin->abi_major(), RDC_ABI_VERSION_MAJOR);
  EXPECT_EQ(plugin->abi_minor(), RDC_ABI_VERSION_MINOR);
  EXPECT_THAT(
      entries_of(plugin->config_map()),
      ElementsAre(
          ConfigEntry{"label", RDC_CONFIG_STRING, "counting", false, false,
                      std::nullopt, "Name used in log messages"},
          ConfigEntry{"ratio", RDC_CONFIG_DOUBLE, "0.5", false, false,
                      std::nullopt, "Share of records to keep"},
          ConfigEntry{"verbose", RDC_CONFIG_BOOL, "false", false, false,
                      std::nullopt, "Log every record"},
          ConfigEntry{"password", RDC_CONFIG_STRING, "hunter2", false, true,
                      std::nullopt, "Password of the destination"}));
}

TEST(LoadPluginTest, DrivesCppSinkThroughItsFunctionTable) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_cpp_sink"));
  const std::array<rdc_config_value, 4> config = {{{"label", "unit"},
                                                   {"ratio", "0.5"},
                                                   {"verbose", "false"},
                                                   {"password", "pw"}}};

  EXPECT_THAT(drive_sink(plugin->sink(), config),
              ElementsAre("created with label=unit", "flushed 3 records",
                          "destroyed after 3 records in 1 flushes"));
}

TEST(LoadPluginTest, AcceptsLargerDescriptorOfNewerMinor) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_newer_minor"));

  EXPECT_EQ(plugin->name(), "fixture_newer_minor");
  EXPECT_EQ(plugin->abi_minor(), RDC_ABI_VERSION_MINOR + 1);
}

TEST(LoadPluginTest, LoadsSourceWithCompleteTable) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_cpp_source"));

  EXPECT_EQ(plugin->kind(), RDC_KIND_SOURCE);
  EXPECT_NE(plugin->source().poll, nullptr);
}

// ---------------------------------------------------------------------------
// Kinds

TEST(RequireKindTest, AcceptsMatchingKind) {
  std::shared_ptr<const LoadedPlugin> source =
      load_plugin(fixture("fixture_cpp_source"));

  EXPECT_NO_THROW(require_kind(*source, RDC_KIND_SOURCE, "[[source]] 'ids'"));
}

TEST(RequireKindTest, RefusesSourceWhereSinkIsNeeded) {
  std::shared_ptr<const LoadedPlugin> source =
      load_plugin(fixture("fixture_cpp_source"));

  try {
    require_kind(*source, RDC_KIND_SINK, "[[sink]] 'log'");
    FAIL() << "a source was accepted as a sink";
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              "[[sink]] 'log' names plugin 'fixture_cpp_source' (" +
                  fixture("fixture_cpp_source").string() +
                  "), which is a source plugin; use it in a [[source]] "
                  "section or pick a sink plugin");
  }
}

TEST(KindNameTest, NamesBothKinds) {
  EXPECT_EQ(kind_name(RDC_KIND_SOURCE), "source");
  EXPECT_EQ(kind_name(RDC_KIND_SINK), "sink");
}

TEST(ConfigTypeNameTest, NamesEveryType) {
  EXPECT_EQ(config_type_name(RDC_CONFIG_STRING), "string");
  EXPECT_EQ(config_type_name(RDC_CONFIG_INT), "int");
  EXPECT_EQ(config_type_name(RDC_CONFIG_DOUBLE), "double");
  EXPECT_EQ(config_type_name(RDC_CONFIG_BOOL), "bool");
}

// ---------------------------------------------------------------------------
// Finding plugins

// A fresh directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "rdconnect-plugins-XXXXXX")
            .string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed: " +
                               std::string(std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The finder only looks at names, so an empty file will do.
  std::filesystem::path add_file(const std::string& name) const {
    std::ofstream(path_ / name).close();
    return path_ / name;
  }

 private:
  std::filesystem::path path_;
};

TEST(PluginFinderTest, FirstDirectoryInSearchOrderWins) {
  TempDir first;
  TempDir second;
  std::filesystem::path in_first = first.add_file("same.so");
  second.add_file("same.so");
  std::filesystem::path only_in_second = second.add_file("other.so");
  PluginFinder finder({first.path(), second.path()});

  EXPECT_EQ(finder.find("same"), in_first);
  EXPECT_EQ(finder.find("other"), only_in_second);
}

TEST(PluginFinderTest, NotFoundListsDirectoriesAndPlugins) {
  TempDir first;
  TempDir second;
  first.add_file("b.so");
  first.add_file("a.so");
  first.add_file("notes.txt");
  second.add_file("c.so");
  second.add_file("a.so");
  const std::filesystem::path missing = first.path() / "missing";
  PluginFinder finder({first.path(), missing, second.path()});

  try {
    finder.find("x");
    FAIL() << "found a plugin that does not exist";
  } catch (const PluginLoadError& error) {
    EXPECT_EQ(std::string(error.what()),
              "no plugin named 'x'. Searched: " + first.path().string() + ", " +
                  missing.string() + " (does not exist), " +
                  second.path().string() +
                  ". Plugins found: a, b, c. Set --plugin-path or "
                  "RDCONNECT_PLUGIN_PATH to the directory holding x.so.");
  }
}

TEST(PluginFinderTest, NotFoundSaysWhenNoPluginExists) {
  TempDir empty;
  PluginFinder finder({empty.path()});

  try {
    finder.find("x");
    FAIL() << "found a plugin in an empty directory";
  } catch (const PluginLoadError& error) {
    EXPECT_THAT(error.what(), HasSubstr("Plugins found: none."));
  }
}

TEST(PluginFinderTest, RefusesNamesThatAreNotFileStems) {
  TempDir dir;
  dir.add_file(".hidden.so");
  PluginFinder finder({dir.path()});

  for (const char* name : {"../x", "sub/x", ".hidden", ""}) {
    try {
      finder.find(name);
      ADD_FAILURE() << "accepted plugin name '" << name << "'";
    } catch (const PluginLoadError& error) {
      EXPECT_THAT(error.what(),
                  HasSubstr("invalid plugin name '" + std::string(name) + "'"));
    }
  }
}

TEST(PluginFinderTest, ListsFirstOccurrenceSortedWithinSearchOrder) {
  TempDir first;
  TempDir second;
  std::filesystem::path c = first.add_file("c.so");
  std::filesystem::path b = first.add_file("b.so");
  first.add_file("readme.txt");
  std::filesystem::create_directory(first.path() / "d.so");
  std::filesystem::path a = second.add_file("a.so");
  second.add_file("c.so");
  PluginFinder finder({first.path(), first.path() / "missing", second.path()});

  EXPECT_THAT(finder.list(), ElementsAre(b, c, a));
}

// Sets an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

std::filesystem::path prefix_of_binary() {
  return std::filesystem::canonical("/proc/self/exe")
      .parent_path()
      .parent_path();
}
std::filesystem::path plugins_beside_binary() {
  return prefix_of_binary() / "plugins";
}
std::filesystem::path installed_plugins_beside_binary() {
  return prefix_of_binary() / "lib" / "rdconnect" / "plugins";
}

TEST(PluginFinderTest, EnvironmentOrderIsCliThenVariableThenBinary) {
  ScopedEnv env("RDCONNECT_PLUGIN_PATH", "/env/one::/env/two");

  PluginFinder finder = PluginFinder::from_environment("/cli/a:/cli/b:");

  EXPECT_THAT(
      finder.directories(),
      ElementsAre("/cli/a", "/cli/b", "/env/one", "/env/two",
                  plugins_beside_binary(), installed_plugins_beside_binary()));
}

TEST(PluginFinderTest, EnvironmentDefaultsToPluginsBesideBinary) {
  ScopedEnv env("RDCONNECT_PLUGIN_PATH", nullptr);

  PluginFinder finder = PluginFinder::from_environment(std::nullopt);

  EXPECT_THAT(
      finder.directories(),
      ElementsAre(plugins_beside_binary(), installed_plugins_beside_binary()));
}

// ---------------------------------------------------------------------------
// Describing plugins

TEST(DescribePluginTest, PrintsHeaderAndAlignedConfigTable) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_c_sink"));

  EXPECT_EQ(
      describe_plugin(*plugin),
      "name:        fixture_c_sink\n"
      "kind:        sink\n"
      "version:     1.2.3\n"
      "file:        " +
          fixture("fixture_c_sink").string() +
          "\n"
          "description: Counts records (plain C)\n"
          "ABI:         1.3\n"
          "\n"
          "config keys:\n"
          "  KEY         TYPE    DEFAULT   EXAMPLE  SECRET  CHOICES    "
          "RANGE       DOC\n"
          "  path        string  -                                     "
          "non-empty   Where the records would go\n"
          "  format      string  json                       json|text    "
          "          How records would be written\n"
          "  batch_size  int     100       500                         1 to "
          "10000  Records per write\n"
          "  token       string  required           secret               "
          "          Access token\n");
}

TEST(DescribePluginTest, FlagsSecretsAndNeverShowsTheirDefault) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_cpp_sink"));

  const std::string text = describe_plugin(*plugin);

  EXPECT_THAT(
      text, AllOf(HasSubstr("label"), HasSubstr("counting"), HasSubstr("ratio"),
                  HasSubstr("0.5"), HasSubstr("verbose"), HasSubstr("false"),
                  HasSubstr("password"), HasSubstr("secret"),
                  HasSubstr("(hidden)"), Not(HasSubstr("hunter2"))));
}

TEST(DescribePluginTest, SummaryIsOneLine) {
  std::shared_ptr<const LoadedPlugin> plugin =
      load_plugin(fixture("fixture_c_sink"));

  EXPECT_EQ(plugin_summary_line(*plugin),
            "fixture_c_sink        sink    1.2.3     Counts records (plain C)");
}

}  // namespace
}  // namespace rdconnect::plugin
