// GET /metrics: every connector's figures in the Prometheus text format,
// through prometheus-cpp's serializer. Built from registry snapshots at
// scrape time, so that the counters live in one place (ConnectorMetrics).
// Every metric is listed in docs/metrics.md; a test keeps the two equal.
#pragma once

#include <string>
#include <vector>

#include <prometheus/metric_family.h>

#include "runtime/connector_snapshot.hpp"
#include "runtime/reload_outcome.hpp"

namespace rdconnect::http {

/// The metric families of `connectors` and of the host itself.
std::vector<prometheus::MetricFamily> metric_families(
    const std::vector<runtime::ConnectorSnapshot>& connectors,
    const runtime::ReloadCounts& reloads = {});

/// metric_families() in the text exposition format 0.0.4.
std::string metrics_text(
    const std::vector<runtime::ConnectorSnapshot>& connectors,
    const runtime::ReloadCounts& reloads = {});

}  // namespace rdconnect::http
