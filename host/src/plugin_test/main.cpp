// rdconnect-plugin-test: loads a plugin as the host does, validates its
// config, and drives it through its whole lifecycle without Kafka,
// checking the contract of plugin.h at every call.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "config/config_error.hpp"
#include "plugin/describe.hpp"
#include "plugin/loaded_plugin.hpp"
#include "plugin/plugin_finder.hpp"
#include "plugin_test/checked_call.hpp"
#include "plugin_test/forked_drive.hpp"
#include "plugin_test/harness_host.hpp"
#include "plugin_test/plugin_config_file.hpp"
#include "plugin_test/report.hpp"
#include "plugin_test/sink_drive.hpp"
#include "plugin_test/source_drive.hpp"
#include "plugin_test/test_records.hpp"

namespace rdconnect::plugin_test {
namespace {

constexpr int kExitPassed = 0;
constexpr int kExitBreach = 1;
constexpr int kExitUsage = 2;
constexpr size_t kDefaultCount = 100;

constexpr const char* kFooter =
    R"(Sinks: create, open, put batches, flush, close (a rebalance), open,
put, flush, close, destroy; then a simulated crash (put, flush, destroy
without close) and a new instance whose open() must answer the offset after
the last record flushed, once any open() answered a stored offset. Sources: create, poll until
--count records or finished, ack each as delivered, destroy.
Exit codes: 0 every check passed, 1 a contract breach (each is printed with
what to do), 2 bad usage, a config error or a plugin the loader refuses.)";

struct Options {
  std::string plugin;
  std::optional<std::filesystem::path> config;
  std::optional<std::filesystem::path> records;
  std::optional<size_t> count;
  std::optional<std::string> plugin_path;
  int64_t call_timeout_ms = 30000;
  int64_t deadline_ms = 30000;
};

void add_options(CLI::App& app, Options& options) {
  app.add_option("plugin", options.plugin,
                 "PLUGIN.so, or a plugin name looked up as rdconnect does")
      ->required();
  app.add_option("--config", options.config,
                 "TOML file whose top-level keys are the plugin's settings "
                 "(a connector's [sink.config] table); default: none set")
      ->check(CLI::ExistingFile);
  app.add_option("--records", options.records,
                 "Sinks: JSON Lines of records ({\"topic\", \"partition\", "
                 "\"offset\"?, \"key\", \"value\", \"headers\"?}); default: "
                 "generated JSON records over 2 partitions of 'harness'")
      ->check(CLI::ExistingFile);
  app.add_option("--count", options.count,
                 "Sinks: records to generate (default 100), or to take of "
                 "--records; sources: records to poll (default 100)")
      ->check(CLI::PositiveNumber);
  app.add_option("--plugin-path", options.plugin_path,
                 "Directories to search for a plugin given by name first "
                 "(':'-separated)");
  app.add_option("--call-timeout-ms", options.call_timeout_ms,
                 "A call running longer is a breach")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--deadline-ms", options.deadline_ms,
                 "Sources: how long to poll for --count records")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

std::filesystem::path plugin_file(const Options& options) {
  const std::filesystem::path given(options.plugin);
  if (std::filesystem::exists(given) ||
      options.plugin.find('/') != std::string::npos) {
    return given;
  }
  return plugin::PluginFinder::from_environment(options.plugin_path)
      .find(options.plugin);
}

std::vector<TestRecord> sink_records(const Options& options) {
  std::vector<TestRecord> records =
      options.records ? read_records_file(*options.records)
                      : generate_records(options.count.value_or(kDefaultCount));
  if (options.count && *options.count < records.size()) {
    records.resize(*options.count);
  }
  return records;
}

/// Everything the drive needs, checked before it starts.
struct Prepared {
  std::shared_ptr<const plugin::LoadedPlugin> plugin;
  config::ResolvedPluginConfig config;
  std::vector<TestRecord> records;
};

Prepared prepare(const Options& options) {
  Prepared prepared;
  prepared.plugin = plugin::load_plugin(plugin_file(options));
  const plugin::LoadedPlugin& plugin = *prepared.plugin;
  std::cout << "plugin   " << plugin::plugin_summary_line(plugin) << '\n'
            << fmt::format("file     {} (ABI {}.{})\n", plugin.file().string(),
                           plugin.abi_major(), plugin.abi_minor())
            << fmt::format("checked  descriptor and config map ({} keys)\n",
                           plugin.config_map().size());
  prepared.config = resolve_config_file(options.config, plugin);
  for (const auto& entry : prepared.config.masked_entries()) {
    std::cout << fmt::format("config   {} = {}\n", entry.key, entry.value);
  }
  if (plugin.kind() == RDC_KIND_SINK) {
    prepared.records = sink_records(options);
    std::cout << fmt::format("records  {} {}\n", prepared.records.size(),
                             options.records
                                 ? "from " + options.records->string()
                                 : std::string("generated"));
  }
  return prepared;
}

int drive(const Prepared& prepared, const Options& options, Report& report,
          runtime::CallWatch& watch) {
  const std::vector<rdc_config_value> config = prepared.config.as_c();
  CallChecker checker(report, watch);
  HarnessHost host(report, watch);
  const plugin::LoadedPlugin& plugin = *prepared.plugin;
  if (plugin.kind() == RDC_KIND_SINK) {
    drive_sink({plugin.sink(), config, checker, host, report},
               prepared.records);
  } else {
    drive_source({plugin.source(), config, checker, host, report},
                 options.count.value_or(kDefaultCount),
                 std::chrono::milliseconds(options.deadline_ms));
  }
  if (plugin.kind() == RDC_KIND_SINK) {
    report.note(
        fmt::format("records reported by record_failed/record_error: {}",
                    host.failed_records()));
  }
  if (report.breaches() == 0) {
    report.note(fmt::format("result: PASS ({} calls, every check passed)",
                            report.calls()));
    return kExitPassed;
  }
  report.note(fmt::format("result: FAIL ({} breach{} in {} calls)",
                          report.breaches(), report.breaches() == 1 ? "" : "es",
                          report.calls()));
  return kExitBreach;
}

int run(const Options& options) {
  Prepared prepared;
  try {
    prepared = prepare(options);
  } catch (const config::ConfigError& error) {
    std::cerr << "rdconnect-plugin-test: invalid configuration:\n"
              << error.what() << "\n";
    return kExitUsage;
  } catch (const plugin::PluginLoadError& error) {
    std::cerr << "rdconnect-plugin-test: " << error.what() << "\n";
    return kExitUsage;
  } catch (const RecordsFileError& error) {
    std::cerr << "rdconnect-plugin-test: " << error.what() << "\n";
    return kExitUsage;
  }
  const config::ResolvedPluginConfig& resolved = prepared.config;
  Report report([&resolved](std::string text) {
    return resolved.mask_secrets_in(std::move(text));
  });
  const int code = run_forked(
      [&](runtime::CallWatch& watch) {
        return drive(prepared, options, report, watch);
      },
      std::chrono::milliseconds(options.call_timeout_ms), report);
  // The child printed the result of a drive that ended; this one did not.
  if (report.breaches() > 0) {
    report.note("result: FAIL (the drive did not end: see the breach above)");
  }
  return code;
}

}  // namespace
}  // namespace rdconnect::plugin_test

int main(int argc, char** argv) {
  CLI::App app{
      "rdconnect-plugin-test — drives a plugin through its lifecycle without "
      "Kafka and checks the plugin ABI contract at every call"};
  app.footer(rdconnect::plugin_test::kFooter);
  rdconnect::plugin_test::Options options;
  rdconnect::plugin_test::add_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : rdconnect::plugin_test::kExitUsage;
  }
  return rdconnect::plugin_test::run(options);
}
