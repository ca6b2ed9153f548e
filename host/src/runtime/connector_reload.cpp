// ConnectorRuntime's reload: re-read the config, and apply only what
// changed. Unchanged connectors keep their clients and their place in
// their groups (no rebalance); changed ones stop as at the end of a run
// (flushed, committed) and start anew; removed ones stop; added ones
// start. A config that does not load is refused whole.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "common/error.hpp"
#include "config/connector_changes.hpp"
#include "plugin/file_identity.hpp"
#include "plugin/loaded_plugin.hpp"
#include "runtime/connector_runtime.hpp"

namespace rdconnect::runtime {
namespace {

using namespace std::chrono_literals;

constexpr auto kReloadPrepareTimeout = 60s;

// The library a connector runs on was installed anew (by rename: a new
// inode) since it was loaded, or the config points at another file.
std::vector<std::string> library_changes(const plugin::LoadedPlugin& running,
                                         const plugin::LoadedPlugin& loaded) {
  if (running.file() != loaded.file()) return {"plugin file"};
  if (running.identity() != loaded.identity()) return {"plugin library"};
  return {};
}

template <typename Prepared>
std::vector<std::string> reasons(const Prepared& running,
                                 const Prepared& loaded) {
  std::vector<std::string> keys =
      config::changed_keys(running.config, loaded.config);
  for (std::string& key : library_changes(*running.plugin, *loaded.plugin)) {
    if (std::find(keys.begin(), keys.end(), "plugin") == keys.end()) {
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

template <typename Prepared>
auto find_named(std::vector<Prepared>& prepared, const std::string& name) {
  return std::find_if(
      prepared.begin(), prepared.end(),
      [&name](const Prepared& entry) { return entry.config.name == name; });
}

}  // namespace

ReloadOutcome ConnectorRuntime::reload() {
  ReloadOutcome outcome;
  outcome.config = plan_.config.path.string();
  if (!options_.load_config) {
    outcome.error = "this run cannot reload its config";
    return outcome;
  }
  ConnectorPlan next;
  try {
    next = options_.load_config();
  } catch (const config::ConfigError& error) {
    outcome.error = std::string("invalid configuration:\n") + error.what();
    return outcome;
  } catch (const std::exception& error) {
    outcome.error = error.what();
    return outcome;
  }
  outcome.applied = true;
  outcome.host_settings_not_applied =
      config::changed_keys(plan_.config.host, next.config.host);
  // Every client of every connector was built with [kafka].
  const std::vector<std::string> kafka_changes = config::changed_properties(
      plan_.config.kafka, next.config.kafka, "[kafka] ");

  std::vector<std::string> stopping;
  std::vector<std::string> paused;
  std::vector<PreparedSource> sources;
  std::vector<PreparedSink> sinks;
  for (const auto& connector : registry_.connectors()) {
    const std::string& name = connector->name();
    const auto source = find_named(next.sources, name);
    const auto sink = find_named(next.sinks, name);
    if (source == next.sources.end() && sink == next.sinks.end()) {
      outcome.removed.push_back(name);
      stopping.push_back(name);
      continue;
    }
    std::vector<std::string> why;
    if (connector->is_sink() != (sink != next.sinks.end())) {
      why = {"kind"};
    } else if (connector->is_sink()) {
      why = reasons(*connector->sink, *sink);
    } else {
      why = reasons(*connector->source, *source);
    }
    if (why.empty()) why = kafka_changes;
    if (why.empty()) {
      outcome.unchanged.push_back(name);
      if (source != next.sources.end()) next.sources.erase(source);
      if (sink != next.sinks.end()) next.sinks.erase(sink);
      continue;
    }
    stopping.push_back(name);
    outcome.restarted.push_back({name, std::move(why)});
    // The operator's pause holds across the change, as in Connect.
    if (connector->supervisor->status().paused()) paused.push_back(name);
  }
  for (const PreparedSource& source : next.sources) {
    if (!registry_.find(source.config.name)) {
      outcome.added.push_back(source.config.name);
    }
  }
  for (const PreparedSink& sink : next.sinks) {
    if (!registry_.find(sink.config.name)) {
      outcome.added.push_back(sink.config.name);
    }
  }

  stop_for_reload(stopping);
  for (const std::string& name : outcome.removed) {
    registry_.replace(name, nullptr);
  }
  if (!kafka_changes.empty() || admin_ == nullptr) {
    plan_.config.kafka = next.config.kafka;
    admin_.reset();
    make_admin();
  }
  plan_.config.path = next.config.path;
  start_for_reload(std::move(next.sources), std::move(next.sinks), paused,
                   outcome);
  return outcome;
}

void ConnectorRuntime::stop_for_reload(const std::vector<std::string>& names) {
  std::vector<RegisteredConnector*> stopping;
  for (const std::string& name : names) {
    stopping.push_back(registry_.find(name));
  }
  for (const bool sinks : {false, true}) {
    for (RegisteredConnector* connector : stopping) {
      if (connector->is_sink() == sinks) connector->supervisor->request_stop();
    }
    for (RegisteredConnector* connector : stopping) {
      if (connector->is_sink() != sinks) continue;
      spdlog::info("[{}] stopping for the reload", connector->name());
      connector->supervisor->join();
    }
  }
}

void ConnectorRuntime::start_for_reload(std::vector<PreparedSource> sources,
                                        std::vector<PreparedSink> sinks,
                                        const std::vector<std::string>& paused,
                                        ReloadOutcome& outcome) {
  not_started_.clear();
  std::vector<RegisteredConnector*> started;
  const auto place = [&](const std::string& name, auto prepare) {
    std::unique_ptr<RegisteredConnector> entry;
    try {
      entry = prepare();
    } catch (const Error& error) {
      outcome.failed.push_back({name, error.what()});
      not_started_.push_back(outcome.failed.back());
      registry_.replace(name, nullptr);
      return;
    }
    if (std::find(paused.begin(), paused.end(), name) != paused.end()) {
      entry->supervisor->status().set_paused(true);
    }
    started.push_back(entry.get());
    registry_.replace(name, std::move(entry));
  };
  admin_->set_deadline(std::chrono::steady_clock::now() +
                       kReloadPrepareTimeout);
  for (PreparedSource& source : sources) {
    const std::string name = source.config.name;
    place(name, [&] { return prepare_source(std::move(source)); });
  }
  for (PreparedSink& sink : sinks) {
    const std::string name = sink.config.name;
    place(name, [&] { return prepare_sink(std::move(sink)); });
  }
  admin_->set_deadline(std::nullopt);
  // Sinks first, as at start-up: in their group before the sources write.
  for (const bool sinks_first : {true, false}) {
    for (RegisteredConnector* connector : started) {
      if (connector->is_sink() == sinks_first) connector->supervisor->start();
    }
  }
}

}  // namespace rdconnect::runtime
