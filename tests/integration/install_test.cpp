// The SDK as a plugin author gets it: `cmake --install` into a temporary
// prefix (moved after installing, as a relocated package is), every example
// of sdk/examples built out of tree against that prefix only (CMake,
// pkg-config, cargo), and the installed host, unchanged and with no plugin
// path, running each of them against the real broker.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "host_fixture.hpp"

namespace rdconnect::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr auto kBuildTimeout = std::chrono::minutes(5);
constexpr auto kRunTimeout = std::chrono::seconds(120);

// For /bin/sh: everything between single quotes is literal.
std::string quoted(const std::string& text) {
  std::string result = "'";
  for (char c : text) {
    result += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return result + "'";
}
std::string quoted(const fs::path& path) { return quoted(path.string()); }

// The example's own files, without what an earlier build left in the tree.
void copy_example(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const fs::directory_entry& entry : fs::directory_iterator(from)) {
    const std::string name = entry.path().filename().string();
    if (name == "build" || name == "target" || name == "Cargo.lock") continue;
    fs::copy(entry.path(), to / name, fs::copy_options::recursive);
  }
}

class InstallTest : public HostTest {
 protected:
  void SetUp() override {
    // The installed host must find its plugins by itself.
    unsetenv("RDCONNECT_PLUGIN_PATH");
    const fs::path staged = scratch_ / "staged";
    shell("cmake --install " + quoted(fs::path(RDCONNECT_BUILD_DIR)) +
          " --prefix " + quoted(staged));
    fs::rename(staged, prefix_);
  }

  // Runs `script` with /bin/sh in the scratch directory; its exit code must
  // be 0. Returns its stdout.
  std::string shell(const std::string& script,
                    std::map<std::string, std::string> env = {}) {
    ChildProcess child(
        {"/bin/sh", "-c", "cd " + quoted(scratch_.path()) + " && " + script},
        std::move(env), scratch_ / ("shell-" + std::to_string(++shells_)));
    const std::optional<int> code = child.wait(kBuildTimeout);
    EXPECT_EQ(code, 0) << script << "\n"
                       << child.stdout_text() << child.stderr_text();
    return child.stdout_text();
  }

  // A copy of sdk/examples/NAME in the scratch directory's `into`.
  fs::path example(const std::string& name,
                   const std::string& into = "examples") {
    const fs::path copy = scratch_ / into / name;
    copy_example(fs::path(RDCONNECT_SOURCE_DIR) / "sdk" / "examples" / name,
                 copy);
    return copy;
  }

  fs::path plugin_dir() const { return prefix_ / "lib/rdconnect/plugins"; }

  // Configured and built with the installed CMake package alone, then
  // installed where the host looks.
  void build_with_cmake(const std::string& name) {
    const fs::path source = example(name);
    shell("cmake -S " + quoted(source) + " -B " + quoted(source / "build") +
          " -DCMAKE_PREFIX_PATH=" + quoted(prefix_) +
          " -DCMAKE_BUILD_TYPE=Release > /dev/null && cmake --build " +
          quoted(source / "build") + " > /dev/null && cp " +
          quoted(source / "build" / (name + ".so")) + " " +
          quoted(plugin_dir()));
    // rdconnect_add_plugin exports the entry point and nothing else.
    EXPECT_EQ(shell("nm -D --defined-only --format=just-symbols " +
                    quoted(source / "build" / (name + ".so"))),
              "rdc_plugin_entry\n");
  }

  // The example's Makefile, with the flags of the installed rdconnect-sdk.pc;
  // returns the library it made.
  fs::path build_with_pkg_config(const std::string& name) {
    const fs::path made = example(name, "make");
    shell("make -C " + quoted(made) + " > /dev/null",
          {{"PKG_CONFIG_PATH", (prefix_ / "lib/pkgconfig").string()}});
    return made / (name + ".so");
  }

  // The Rust example with its path dependency pointed at the installed
  // crate, built by cargo and installed under the plugin's name.
  void build_with_cargo(const std::string& name) {
    const fs::path source = example(name, "cargo");
    const fs::path crate = prefix_ / "share/rdconnect/rust/rdconnect";
    shell("sed -i 's#^rdconnect = { path = .*#rdconnect = { path = \"" +
          crate.string() + "\" }#' " + quoted(source / "Cargo.toml") +
          " && grep -qF " + quoted(crate) + " " +
          quoted(source / "Cargo.toml") + " && " +
          quoted(std::string(RDCONNECT_CARGO)) +
          " build --offline --release --quiet --manifest-path " +
          quoted(source / "Cargo.toml") + " && cp " +
          quoted(source / "target/release" / ("lib" + name + ".so")) + " " +
          quoted(plugin_dir() / (name + ".so")));
  }

  // The installed binary in `directory` (where plugins' default files go).
  std::unique_ptr<ChildProcess> start_installed(const fs::path& config,
                                                const fs::path& directory,
                                                const std::string& extra = "") {
    fs::create_directories(directory);
    const std::string script = "cd " + quoted(directory) + " && exec " +
                               quoted(prefix_ / "bin/rdconnect") + " run " +
                               quoted(config) + " " + extra;
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{"/bin/sh", "-c", script},
        std::map<std::string, std::string>{{"KAFKA_BOOTSTRAP", bootstrap_}},
        scratch_ / ("installed-" + std::to_string(++runs_)));
  }

  // A run until caught up: exit 0; returns its stdout.
  std::string run_installed(const fs::path& config, const fs::path& directory) {
    auto host = start_installed(config, directory, "--until-caught-up");
    const std::optional<int> code = host->wait(kRunTimeout);
    EXPECT_EQ(code, 0) << host->stderr_tail();
    return host->stdout_text();
  }

  fs::path prefix_ = scratch_ / "prefix";
  int shells_ = 0;
};

// c_print_sink's lines: topic[partition]@offset key=... value=...
Coordinates printed_coordinates(const std::string& topic,
                                const std::string& text) {
  const std::regex line(
      std::regex_replace(topic, std::regex(R"([.\-])"), R"(\$&)") +
      R"(\[(\d+)\]@(\d+) key=.* value=.*)");
  Coordinates result;
  for (const std::string& text_line : lines_of(text)) {
    std::smatch match;
    EXPECT_TRUE(std::regex_match(text_line, match, line)) << text_line;
    if (!match.empty()) {
      result.emplace(std::stoi(match[1]), std::stoll(match[2]));
    }
  }
  return result;
}

// The JSON lines of cpp_jsonl_sink.
Coordinates json_coordinates(const std::vector<std::string>& lines) {
  Coordinates result;
  for (const std::string& line : lines) {
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << line;
    if (json.is_discarded()) continue;
    result.emplace(json.at("partition").get<int32_t>(),
                   json.at("offset").get<int64_t>());
  }
  return result;
}

std::set<std::string> installed_plugins(const std::string& listing) {
  std::set<std::string> names;
  for (const std::string& line : lines_of(listing)) {
    names.insert(line.substr(0, line.find(' ')));
  }
  return names;
}

TEST_F(InstallTest, ThePrefixHoldsTheHostItsPluginsTheSdkAndItsPackages) {
  for (const char* file :
       {"bin/rdconnect", "lib/rdconnect/plugins/log_sink.so",
        "lib/rdconnect/plugins/postgres_sink.so",
        "lib/rdconnect/plugins/uuid_source.so", "include/rdconnect/plugin.h",
        "include/rdconnect/plugin.hpp",
        "lib/cmake/rdconnect/rdconnectConfig.cmake",
        "lib/cmake/rdconnect/rdconnectConfigVersion.cmake",
        "lib/pkgconfig/rdconnect-sdk.pc",
        "share/rdconnect/rust/rdconnect/Cargo.toml",
        "share/rdconnect/rust/rdconnect/src/lib.rs",
        "bin/rdconnect-plugin-test"}) {
    EXPECT_TRUE(fs::is_regular_file(prefix_ / file)) << file;
  }
  // Moved after installing, the prefix still finds its own plugins, and
  // its .pc file names its own include directory.
  EXPECT_EQ(
      installed_plugins(shell(quoted(prefix_ / "bin/rdconnect") + " plugins")),
      (std::set<std::string>{"log_sink", "postgres_sink", "uuid_source"}));
  const std::string cflags =
      shell("pkg-config --cflags rdconnect-sdk",
            {{"PKG_CONFIG_PATH", (prefix_ / "lib/pkgconfig").string()}});
  EXPECT_EQ(fs::canonical(cflags.substr(2, cflags.find_last_not_of(" \n") - 1)),
            fs::canonical(prefix_ / "include"));
}

// One group, three sinks in turn (C, C++, Rust): each run produces a new
// batch and the sink of that run, swapped in by editing `plugin =` alone,
// takes exactly the records its predecessors did not.
TEST_F(InstallTest, EveryExampleBuildsOutOfTreeAndSinksSwapByConfigAlone) {
  build_with_cmake("c_print_sink");
  build_with_cmake("cpp_jsonl_sink");
  build_with_cmake("cpp_file_source");
  build_with_cargo("rust_sink");
  const fs::path made = build_with_pkg_config("c_print_sink");
  EXPECT_THAT(shell(quoted(prefix_ / "bin/rdconnect") +
                    " plugins --describe c_print_sink --plugin-path " +
                    quoted(made.parent_path())),
              HasSubstr("file:        " + made.string()));
  EXPECT_EQ(
      installed_plugins(shell(quoted(prefix_ / "bin/rdconnect") + " plugins")),
      (std::set<std::string>{"c_print_sink", "cpp_file_source",
                             "cpp_jsonl_sink", "log_sink", "postgres_sink",
                             "rust_sink", "uuid_source"}));

  constexpr int64_t kBatch = 200;
  const std::string topic = unique_name("installed");
  const std::string group = unique_name("installed-group");
  auto config_with = [&](const std::string& plugin) {
    return write_config(
        plugin + ".toml",
        std::string(kConfigPrelude) + uuid_source_toml(topic, kBatch, 0) +
            "[[sink]]\nname = \"out\"\nplugin = \"" + plugin +
            "\"\ntopics = [\"" + topic + "\"]\ngroup_id = \"" + group + "\"\n");
  };
  const Coordinates printed = printed_coordinates(
      topic, run_installed(config_with("c_print_sink"), scratch_ / "c"));
  EXPECT_EQ(printed.size(), kBatch);
  run_installed(config_with("cpp_jsonl_sink"), scratch_ / "cpp");
  const Coordinates written =
      json_coordinates(read_lines(scratch_ / "cpp" / "records.jsonl"));
  EXPECT_EQ(written.size(), kBatch);
  const Coordinates rust_written = json_coordinates(
      lines_of(run_installed(config_with("rust_sink"), scratch_ / "rust")));
  EXPECT_EQ(rust_written.size(), kBatch);

  Coordinates all = printed;
  all.insert(written.begin(), written.end());
  all.insert(rust_written.begin(), rust_written.end());
  EXPECT_EQ(all, coordinates(read_records(topic)));
}

// The installed rdconnect-plugin-test, as an author's CI runs it, passes
// every example with its defaults; cpp_jsonl_sink, which keeps its offsets,
// through the simulated crash as well.
TEST_F(InstallTest, EveryExamplePassesTheInstalledPluginHarness) {
  build_with_cmake("c_print_sink");
  build_with_cmake("cpp_jsonl_sink");
  build_with_cmake("cpp_file_source");
  build_with_cargo("rust_sink");
  auto harness = [&](const std::string& name) {
    const fs::path directory = scratch_ / "harness" / name;
    fs::create_directories(directory);
    if (name == "cpp_file_source") {
      std::ofstream input(directory / "input.txt");
      for (int i = 1; i <= 100; ++i) input << "line " << i << "\n";
    }
    const std::string out =
        shell("cd " + quoted(directory) + " && " +
              quoted(prefix_ / "bin/rdconnect-plugin-test") + " " + name);
    EXPECT_THAT(out, HasSubstr("result: PASS")) << name << "\n" << out;
    return out;
  };
  for (const char* name : {"c_print_sink", "cpp_file_source", "rust_sink"}) {
    harness(name);
  }
  EXPECT_THAT(harness("cpp_jsonl_sink"),
              HasSubstr("-- durability: the sink stores its offsets"));
}

// cpp_file_source with its defaults (input.txt in the working directory):
// a clean stop and a start with more lines neither loses nor repeats one.
TEST_F(InstallTest, TheFileSourceResumesAtItsAckedPositionAcrossARestart) {
  build_with_cmake("cpp_file_source");
  build_with_cmake("c_print_sink");
  const fs::path directory = scratch_ / "tail";
  fs::create_directories(directory);
  const std::string topic = unique_name("tailed");
  const fs::path config = write_config(
      "tail.toml", std::string(kConfigPrelude) +
                       "[[source]]\nname = \"lines\"\nplugin = "
                       "\"cpp_file_source\"\ntopic = \"" +
                       topic +
                       "\"\n[source.topic_creation]\npartitions = 1\n"
                       "[[sink]]\nname = \"out\"\nplugin = "
                       "\"c_print_sink\"\ntopics = [\"" +
                       topic + "\"]\ngroup_id = \"" + unique_name("tail") +
                       "\"\n");
  auto append_lines = [&](int from, int to) {
    std::ofstream out(directory / "input.txt", std::ios::app);
    for (int i = from; i <= to; ++i) out << "line " << i << "\n";
  };
  // Runs until the sink printed `last`, then stops the host cleanly.
  auto run_until_printed = [&](const std::string& last) {
    auto host = start_installed(config, directory);
    EXPECT_TRUE(wait_for(
        [&] { return host->stdout_text().find(last) != std::string::npos; },
        kRunTimeout))
        << host->stderr_tail();
    host->send_signal(SIGTERM);
    EXPECT_EQ(host->wait(kRunTimeout), 0) << host->stderr_tail();
    return lines_of(host->stdout_text());
  };

  append_lines(1, 50);
  std::vector<std::string> printed = run_until_printed("value=line 50\n");
  append_lines(51, 80);
  const std::vector<std::string> second = run_until_printed("value=line 80\n");
  printed.insert(printed.end(), second.begin(), second.end());

  std::multiset<std::string> values;
  for (const std::string& line : printed) {
    values.insert(line.substr(line.find(" value=") + 7));
  }
  std::multiset<std::string> expected;
  for (int i = 1; i <= 80; ++i) expected.insert("line " + std::to_string(i));
  EXPECT_EQ(values, expected);
  EXPECT_EQ(read_records(topic).size(), 80u);
}

}  // namespace
}  // namespace rdconnect::testing
