#include "http/reload_json.hpp"

namespace rdconnect::http {

nlohmann::json reload_json(const runtime::ReloadOutcome& outcome) {
  nlohmann::json restarted = nlohmann::json::array();
  for (const runtime::RestartedConnector& connector : outcome.restarted) {
    restarted.push_back(
        {{"name", connector.name}, {"reasons", connector.reasons}});
  }
  nlohmann::json failed = nlohmann::json::array();
  for (const runtime::FailedConnector& connector : outcome.failed) {
    failed.push_back({{"name", connector.name}, {"error", connector.error}});
  }
  return {{"config", outcome.config},
          {"result", outcome.failed.empty() ? "applied" : "partial"},
          {"added", outcome.added},
          {"removed", outcome.removed},
          {"restarted", std::move(restarted)},
          {"unchanged", outcome.unchanged},
          {"host_settings_not_applied", outcome.host_settings_not_applied},
          {"failed", std::move(failed)}};
}

}  // namespace rdconnect::http
