// Reload on a running host, on the real broker and PostgreSQL: SIGHUP
// swaps one sink's plugin while the other connectors run on untouched (no
// rebalance, nothing lost or doubled); POST /reload answers with the
// difference; a broken config is refused whole; a plugin library
// installed anew restarts its connector on the new file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "control_api_fixture.hpp"
#include "postgres_pipeline.hpp"

namespace rdconnect::testing {
namespace {

/// The "restarted" list of a reload's answer with one connector.
json restarted(const std::string& name, const std::string& reason) {
  return json::array(
      {json{{"name", name}, {"reasons", json::array({reason})}}});
}

class ReloadTest : public ControlApiTest {
 protected:
  /// A source of `count` records at `rate` per second into a new topic,
  /// and a log_sink "keeper" on it.
  std::string source_and_keeper(int64_t count, int64_t rate) {
    topic_ = unique_name("reload");
    return std::string(kConfigPrelude) + uuid_source_toml(topic_, count, rate) +
           log_sink("keeper", unique_name("keeper"), 200);
  }

  std::string log_sink(const std::string& name, const std::string& group,
                       int flush_interval_ms) {
    return "[[sink]]\nname = \"" + name +
           "\"\nplugin = \"log_sink\"\ntopics = [\"" + topic_ +
           "\"]\ngroup_id = \"" + group +
           "\"\nflush_interval_ms = " + std::to_string(flush_interval_ms) +
           "\n[sink.config]\npath = \"" +
           (scratch_ / (name + ".jsonl")).string() + "\"\nformat = \"json\"\n";
  }

  size_t lines_of(const std::string& sink) {
    return read_lines(scratch_ / (sink + ".jsonl")).size();
  }

  Coordinates logged(const std::string& sink) {
    return coordinates(parse_log(read_lines(scratch_ / (sink + ".jsonl"))));
  }

  double host_metric(const std::string& name) { return sample(name); }

  /// The reload's log line, once the host wrote it.
  std::string reload_line() {
    const std::string text = host_->stderr_text();
    const size_t at = text.find("reloaded ");
    if (at == std::string::npos) return "";
    return text.substr(at, text.find('\n', at) - at);
  }
};

// The headline: change a sink's plugin from log_sink to postgres_sink,
// send SIGHUP, and the source and the other sink never notice.
TEST_F(ReloadTest, SighupSwapsLogSinkForPostgresSinkWhileTheOthersRunOn) {
  constexpr int64_t kCount = 4000;
  const ScratchSchema schema("reload");
  const std::string base = source_and_keeper(kCount, 500);
  const std::string swap_group = unique_name("swap");
  const std::string before = base + log_sink("swap", swap_group, 200);
  std::string after = base +
                      "[[sink]]\nname = \"swap\"\nplugin = \"postgres_sink\"\n"
                      "topics = [\"" +
                      topic_ + "\"]\ngroup_id = \"" + swap_group +
                      "\"\nflush_interval_ms = 200\n"
                      "[sink.config]\ndsn = \"${env:PG_DSN}\"\nschema = \"" +
                      schema.name() +
                      "\"\ntable = \"users\"\nmode = \"insert\"\n";
  start(before);
  ASSERT_TRUE(wait_for(
      [&] { return lines_of("swap") > 0 && lines_of("keeper") > 0; }, 60s))
      << host_->stderr_tail();

  write_config("control.toml", after);
  host_->send_signal(SIGHUP);
  ASSERT_TRUE(wait_for([&] { return !reload_line().empty(); }, 60s))
      << host_->stderr_tail();
  EXPECT_NE(reload_line().find(
                "restarted [swap (plugin, config.dsn, config.format, "
                "config.mode, config.path, config.schema, config.table)]"),
            std::string::npos)
      << reload_line();
  EXPECT_NE(reload_line().find("unchanged [uuids, keeper]"), std::string::npos)
      << reload_line();
  const char* dsn = std::getenv("PG_DSN");
  ASSERT_NE(dsn, nullptr);
  EXPECT_EQ(reload_line().find(dsn), std::string::npos);

  PostgresPipeline table;
  table.schema = schema.name();
  ASSERT_TRUE(wait_for(
      [&] {
        return state_is("uuids", "FINISHED") && table.row_count() == kCount &&
               lines_of("keeper") == static_cast<size_t>(kCount);
      },
      90s))
      << host_->stderr_tail();
  EXPECT_EQ(host_metric("rdconnect_config_reloads_total"), 1);
  EXPECT_EQ(host_metric("rdconnect_config_reload_failures_total"), 0);
  EXPECT_EQ(status("swap")["plugin"], "postgres_sink");
  // The keeper kept its one assignment: no rebalance (the stop below
  // revokes it, once).
  const std::string text = host_->stderr_text();
  EXPECT_EQ(occurrences(text, "[keeper#0] assigned"), 1u) << text;
  EXPECT_EQ(occurrences(text, "[keeper#0] revoked"), 0u);
  EXPECT_EQ(occurrences(text, "[keeper#0] lost"), 0u);
  stop_host();

  const std::vector<KafkaRecord> records = read_records(topic_);
  // The source was not restarted: it produced its count once.
  ASSERT_EQ(records.size(), static_cast<size_t>(kCount));
  // Nothing lost or doubled.
  EXPECT_EQ(logged("keeper"), coordinates(records));
  // postgres_sink keeps its own offsets (a new table: from the start).
  EXPECT_EQ(table.row_coordinates(), coordinates(records));
}

// POST /reload: a config that does not load changes nothing; one that
// does is applied, and the answer says what it added, removed, restarted
// and left alone.
TEST_F(ReloadTest, PostReloadAnswersWithTheDifferenceAndRefusesABrokenConfig) {
  constexpr int64_t kCount = 3000;
  const std::string base = source_and_keeper(kCount, 250);
  const std::string extra = log_sink("extra", unique_name("extra"), 200);
  start(base);
  ASSERT_TRUE(wait_for([&] { return lines_of("keeper") > 0; }, 60s))
      << host_->stderr_tail();

  // An unknown key of log_sink, on the last line.
  const std::string broken = base + "colour = \"blue\"\n";
  const auto lines = std::count(broken.begin(), broken.end(), '\n');
  write_config("control.toml", broken);
  const Reply refused = request("POST", "/reload");
  EXPECT_EQ(refused.status, 400) << refused.body.dump();
  EXPECT_EQ(refused.body["error_code"], 400);
  const std::string message = refused.body["message"];
  EXPECT_NE(message.find("control.toml:" + std::to_string(lines) + ":1:"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("colour"), std::string::npos) << message;
  EXPECT_EQ(host_metric("rdconnect_config_reload_failures_total"), 1);
  EXPECT_EQ(host_metric("rdconnect_config_last_reload_successful"), 0);
  // Everything runs on, records still arriving.
  const size_t at_refusal = lines_of("keeper");
  EXPECT_TRUE(state_is("keeper", "RUNNING"));
  ASSERT_TRUE(wait_for([&] { return lines_of("keeper") > at_refusal; }, 30s));

  // One sink added, one changed.
  std::string changed = base + extra;
  changed.replace(changed.find("flush_interval_ms = 200"), 23,
                  "flush_interval_ms = 300");
  write_config("control.toml", changed);
  const Reply applied = request("POST", "/reload");
  ASSERT_EQ(applied.status, 200) << applied.body.dump();
  EXPECT_EQ(applied.body["result"], "applied");
  EXPECT_EQ(applied.body["added"], json::array({"extra"}));
  EXPECT_EQ(applied.body["removed"], json::array());
  EXPECT_EQ(applied.body["restarted"],
            restarted("keeper", "flush_interval_ms"));
  EXPECT_EQ(applied.body["unchanged"], json::array({"uuids"}));
  EXPECT_EQ(applied.body["failed"], json::array());
  EXPECT_EQ(applied.body["host_settings_not_applied"], json::array());
  ASSERT_TRUE(wait_for([&] { return lines_of("extra") > 0; }, 60s))
      << host_->stderr_tail();

  // Back to the first config: "extra" goes, [host] changes are reported.
  write_config("control.toml",
               std::string(base).replace(base.find("status_interval_ms = 1000"),
                                         25, "status_interval_ms = 2000"));
  const Reply back = request("POST", "/reload");
  ASSERT_EQ(back.status, 200) << back.body.dump();
  EXPECT_EQ(back.body["added"], json::array());
  EXPECT_EQ(back.body["removed"], json::array({"extra"}));
  EXPECT_EQ(back.body["restarted"], restarted("keeper", "flush_interval_ms"));
  EXPECT_EQ(back.body["host_settings_not_applied"],
            json::array({"status_interval_ms"}));
  EXPECT_EQ(request("GET", "/connectors/extra/status").status, 404);
  EXPECT_EQ(request("GET", "/connectors").body, json({"uuids", "keeper"}));
  EXPECT_EQ(host_metric("rdconnect_config_reloads_total"), 3);
  EXPECT_EQ(host_metric("rdconnect_config_reload_failures_total"), 1);
  EXPECT_EQ(host_metric("rdconnect_config_last_reload_successful"), 1);

  ASSERT_TRUE(wait_for(
      [&] {
        return state_is("uuids", "FINISHED") &&
               lines_of("keeper") >= static_cast<size_t>(kCount);
      },
      60s))
      << host_->stderr_tail();
  stop_host();
  // Each restart flushed and committed: every record once.
  const std::vector<KafkaRecord> records = read_records(topic_);
  ASSERT_EQ(records.size(), static_cast<size_t>(kCount));
  EXPECT_EQ(logged("keeper"), coordinates(records));
}

// glibc's dlopen() would hand back the old mapping for the same path: the
// host opens the new file under a name of its own, and maps it.
TEST_F(ReloadTest, APluginInstalledAnewRestartsItsConnectorOnTheNewFile) {
  const std::filesystem::path plugins = scratch_ / "plugins";
  std::filesystem::create_directories(plugins);
  const std::filesystem::path library = plugins / "log_sink.so";
  std::filesystem::copy_file(plugin_directory() / "log_sink.so", library);
  const std::string base = source_and_keeper(0, 100);
  start(base,
        {"--http-listen", "127.0.0.1:0", "--plugin-path", plugins.string()});
  ASSERT_TRUE(wait_for([&] { return lines_of("keeper") > 0; }, 60s))
      << host_->stderr_tail();

  // Installed as package managers and `install` do: a new file renamed
  // over the old one.
  const std::filesystem::path staged = plugins / "log_sink.so.new";
  std::filesystem::copy_file(plugin_directory() / "log_sink.so", staged);
  std::filesystem::rename(staged, library);
  struct stat installed {};
  ASSERT_EQ(::stat(library.c_str(), &installed), 0);

  const Reply reloaded = request("POST", "/reload");
  ASSERT_EQ(reloaded.status, 200) << reloaded.body.dump();
  EXPECT_EQ(reloaded.body["restarted"], restarted("keeper", "plugin library"));
  EXPECT_EQ(reloaded.body["unchanged"], json::array({"uuids"}));
  ASSERT_TRUE(wait_for([&] { return state_is("keeper", "RUNNING"); }, 30s));
  const size_t at_reload = lines_of("keeper");
  ASSERT_TRUE(wait_for([&] { return lines_of("keeper") > at_reload; }, 30s))
      << host_->stderr_tail();

  // The new file is mapped (by its inode), and the link it was opened by
  // is gone.
  std::ifstream maps("/proc/" + std::to_string(host_->pid()) + "/maps");
  std::string line;
  bool mapped = false;
  while (std::getline(maps, line)) {
    if (line.find(library.string()) != std::string::npos &&
        line.find("(deleted)") == std::string::npos &&
        line.find(" " + std::to_string(installed.st_ino) + " ") !=
            std::string::npos) {
      mapped = true;
    }
  }
  EXPECT_TRUE(mapped);
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::temp_directory_path())) {
    EXPECT_EQ(entry.path().filename().string().find(
                  "rdconnect-" + std::to_string(host_->pid()) + "-"),
              std::string::npos);
  }
  // Unchanged again: a second reload restarts nothing.
  const Reply again = request("POST", "/reload");
  EXPECT_EQ(again.body["restarted"], json::array()) << again.body.dump();
  stop_host();
}

}  // namespace
}  // namespace rdconnect::testing
