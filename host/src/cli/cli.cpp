#include "cli/cli.hpp"

#include <iostream>

#include <librdkafka/rdkafka.h>
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/signal_watcher.hpp"
#include "common/logging.hpp"

namespace rdconnect::cli {
namespace {

constexpr const char* kFooter =
    R"(Exit codes: 0 ok, 1 runtime failure, 2 bad usage or bad configuration,
128 + N when signal N stops a command while it reads the config or loads
plugins (once connectors run, SIGINT / SIGTERM stop them gracefully).
Plugins are searched in --plugin-path, then RDCONNECT_PLUGIN_PATH (both
':'-separated), then <directory of rdconnect>/../plugins (a build tree),
then <directory of rdconnect>/../lib/rdconnect/plugins (an installed prefix).)";

void add_plugin_path_option(CLI::App& command,
                            std::optional<std::string>& path) {
  command.add_option("--plugin-path", path,
                     "Directories to search for plugins first (':'-separated)");
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{
      "rdconnect — runs Kafka source and sink connectors loaded from plugins"};
  app.footer(kFooter);
  // The librdkafka loaded at run time, which is the one that matters.
  app.set_version_flag("--version", std::string("rdconnect ") +
                                        RDCONNECT_VERSION + " (librdkafka " +
                                        rd_kafka_version_str() + ")");
  app.require_subcommand(1);
  std::string log_level = "info";
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error")
      ->capture_default_str();
  std::string log_format = "text";
  app.add_option("--log-format", log_format,
                 "text, or json: one JSON object per line")
      ->capture_default_str();

  RunArguments run;
  CLI::App* run_app =
      app.add_subcommand("run", "Run the connectors of a config");
  run_app->add_option("config", run.config_path, "Connector config (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  run_app->add_flag("--until-caught-up", run.until_caught_up,
                    "Exit 0 once every source has finished and every sink has "
                    "committed up to the end of its topics");
  run_app->add_option("--http-listen", run.http_listen,
                      "Serve the HTTP control API on IP:PORT (port 0 picks "
                      "one), over [host] http_listen");
  add_plugin_path_option(*run_app, run.plugin_path);

  std::string validate_path;
  std::optional<std::string> validate_plugin_path;
  CLI::App* validate_app = app.add_subcommand(
      "validate", "Check a config and its plugins' settings");
  validate_app->add_option("config", validate_path, "Connector config (TOML)")
      ->required()
      ->check(CLI::ExistingFile);
  add_plugin_path_option(*validate_app, validate_plugin_path);
  bool validate_connect = false;
  validate_app->add_flag(
      "--connect", validate_connect,
      "Also check that each connector's brokers answer, and that each "
      "sink's target accepts a connection when its plugin can check it "
      "(postgres_sink can), within 10 s; exit 1 when one does not");

  std::optional<std::string> describe;
  std::optional<std::string> plugins_path;
  CLI::App* plugins_app =
      app.add_subcommand("plugins", "List the plugins found, or describe one");
  plugins_app->add_option("--describe", describe,
                          "Show a plugin's details and config keys");
  add_plugin_path_option(*plugins_app, plugins_path);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? static_cast<int>(kExitOk)
                     : static_cast<int>(kExitBadUsage);
  }
  try {
    setup_logging(log_level, log_format);
  } catch (const std::invalid_argument& error) {
    std::cerr << "rdconnect: " << error.what() << "\n";
    return kExitBadUsage;
  }

  if (run_app->parsed()) return run_command(run);
  if (validate_app->parsed())
    return validate_command(validate_path, validate_plugin_path,
                            validate_connect);
  return plugins_command(describe, plugins_path);
}

}  // namespace rdconnect::cli
