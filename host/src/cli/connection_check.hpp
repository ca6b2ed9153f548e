// `rdconnect validate --connect`: do the connectors' brokers answer, and
// do the sinks' targets accept a connection?
#pragma once

#include <chrono>
#include <ostream>

#include "runtime/connector_plan.hpp"

namespace rdconnect::cli {

/// How long each cluster has to answer.
inline constexpr std::chrono::seconds kConnectTimeout{10};

/// For each connector of `plan`, asks its cluster ([kafka] with the
/// connector's own kafka table over it) for its metadata, every distinct
/// cluster setting at once, and prints "brokers: OK (N brokers, cluster id
/// X)" or what failed and what to do. A plugin with a connection check
/// (ABI 1.2) checks its sink's target ("target: ...") or its source's
/// origin ("origin: ..."), beside the probes; a sink's plugin without one
/// gets "target: not checked". Returns the number of connectors whose
/// brokers did not answer or whose check failed.
int check_connections(const runtime::ConnectorPlan& plan, std::ostream& out,
                      std::chrono::milliseconds timeout = kConnectTimeout);

}  // namespace rdconnect::cli
