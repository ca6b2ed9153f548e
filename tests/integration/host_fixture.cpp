#include "host_fixture.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <regex>

namespace rdconnect::testing {

std::vector<LoggedRecord> parse_log(const std::vector<std::string>& lines) {
  std::vector<LoggedRecord> records;
  records.reserve(lines.size());
  for (const std::string& line : lines) {
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.contains("key") ||
        !json["key"].is_string()) {
      ADD_FAILURE() << "not a log_sink json line with a text key: " << line;
      continue;
    }
    records.push_back({json["partition"].get<int32_t>(),
                       json["offset"].get<int64_t>(),
                       json["key"].get<std::string>()});
  }
  return records;
}

void services(const std::string& args) {
  const char* script = std::getenv("RDCONNECT_SERVICES");
  ASSERT_NE(script, nullptr)
      << "RDCONNECT_SERVICES is not set: export `scripts/services.sh env`";
  ASSERT_EQ(std::system((std::string(script) + " " + args).c_str()), 0)
      << "services.sh " << args;
}

int wait_for_http_port(const ChildProcess& host) {
  const std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
  std::smatch match;
  std::string text;
  const bool logged = wait_for(
      [&] {
        text = host.stderr_text();
        return std::regex_search(text, match, listening);
      },
      std::chrono::seconds(30));
  EXPECT_TRUE(logged) << "the host never said where it listens:\n"
                      << host.stderr_tail();
  return logged ? std::stoi(match[1].str()) : 0;
}

Coordinates coordinates(const std::vector<LoggedRecord>& records) {
  Coordinates result;
  for (const LoggedRecord& record : records) {
    result.emplace(record.partition, record.offset);
  }
  return result;
}

Coordinates coordinates(const std::vector<KafkaRecord>& records) {
  Coordinates result;
  for (const KafkaRecord& record : records) {
    result.emplace(record.partition, record.offset);
  }
  return result;
}

std::string uuid_source_toml(const std::string& topic, int64_t count,
                             int64_t rate) {
  return "[[source]]\nname = \"uuids\"\nplugin = \"uuid_source\"\ntopic = \"" +
         topic +
         "\"\n[source.topic_creation]\npartitions = 2\n[source.config]\ncount "
         "= " +
         std::to_string(count) + "\nrate = " + std::to_string(rate) + "\n";
}

HostTest::HostTest() : bootstrap_(kafka_bootstrap()) {}

std::filesystem::path HostTest::write_config(const std::string& name,
                                             const std::string& toml) {
  const std::filesystem::path path = scratch_ / name;
  write_text(path, toml);
  return path;
}

std::unique_ptr<ChildProcess> HostTest::start_host(
    const std::filesystem::path& config, std::vector<std::string> extra_args,
    std::map<std::string, std::string> env) {
  std::vector<std::string> argv = {rdconnect_binary().string(), "run",
                                   config.string()};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  env["KAFKA_BOOTSTRAP"] = bootstrap_;
  env["RDCONNECT_PLUGIN_PATH"] = plugin_directory().string();
  const std::string output = "host-" + std::to_string(++runs_);
  return std::make_unique<ChildProcess>(std::move(argv), std::move(env),
                                        scratch_ / output);
}

void HostTest::run_until_caught_up(const std::filesystem::path& config,
                                   std::map<std::string, std::string> env) {
  auto host = start_host(config, {"--until-caught-up"}, std::move(env));
  const std::optional<int> code = host->wait(std::chrono::seconds(120));
  ASSERT_TRUE(code.has_value()) << "host did not finish in time:\n"
                                << host->stderr_text();
  ASSERT_EQ(*code, 0) << host->stderr_text();
}

}  // namespace rdconnect::testing
