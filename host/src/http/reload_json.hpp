// The body of POST /reload: what the reload changed, connector by
// connector.
#pragma once

#include <nlohmann/json.hpp>

#include "runtime/reload_outcome.hpp"

namespace rdconnect::http {

/// {"config", "result": "applied" | "partial", "added", "removed",
///  "restarted": [{"name", "reasons"}], "unchanged",
///  "host_settings_not_applied", "failed": [{"name", "error"}]}
nlohmann::json reload_json(const runtime::ReloadOutcome& outcome);

}  // namespace rdconnect::http
