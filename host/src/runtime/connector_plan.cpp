#include "runtime/connector_plan.hpp"

#include <map>

namespace rdconnect::runtime {
namespace {

class PluginCache {
 public:
  explicit PluginCache(const plugin::PluginFinder& finder) : finder_(finder) {}

  std::shared_ptr<const plugin::LoadedPlugin> get(const std::string& name) {
    auto found = loaded_.find(name);
    if (found != loaded_.end()) return found->second;
    auto loaded = plugin::load_plugin(finder_.find(name));
    loaded_.emplace(name, loaded);
    return loaded;
  }

 private:
  const plugin::PluginFinder& finder_;
  std::map<std::string, std::shared_ptr<const plugin::LoadedPlugin>> loaded_;
};

std::string section_name(const char* section, const std::string& name) {
  return std::string(section) + " '" + name + "'";
}

// Resolve one connector's settings, adding its problems to `problems` so
// that every connector is reported in one pass.
config::ResolvedPluginConfig resolve_collecting(
    const config::PluginSettings& settings, const plugin::LoadedPlugin& plugin,
    std::vector<config::ConfigProblem>& problems) {
  try {
    return config::resolve_plugin_config(settings, plugin.config_map());
  } catch (const config::ConfigError& error) {
    problems.insert(problems.end(), error.problems().begin(),
                    error.problems().end());
    return {};
  }
}

}  // namespace

ConnectorPlan prepare_plan(config::HostConfig config,
                           const plugin::PluginFinder& finder) {
  PluginCache plugins(finder);
  std::vector<config::ConfigProblem> problems;
  ConnectorPlan plan;
  for (const config::SourceConfig& source : config.sources) {
    auto loaded = plugins.get(source.settings.plugin);
    plugin::require_kind(*loaded, RDC_KIND_SOURCE,
                         section_name("[[source]]", source.name));
    auto resolved = resolve_collecting(source.settings, *loaded, problems);
    plan.sources.push_back({source, loaded, std::move(resolved)});
  }
  for (const config::SinkConfig& sink : config.sinks) {
    auto loaded = plugins.get(sink.settings.plugin);
    plugin::require_kind(*loaded, RDC_KIND_SINK,
                         section_name("[[sink]]", sink.name));
    auto resolved = resolve_collecting(sink.settings, *loaded, problems);
    plan.sinks.push_back({sink, loaded, std::move(resolved)});
  }
  if (!problems.empty()) throw config::ConfigError(std::move(problems));
  plan.config = std::move(config);
  return plan;
}

}  // namespace rdconnect::runtime
