// Harness of the fragment logging (docs/writing-plugins.md, section 7): a
// whole sink but for its includes and its export.
#include <rdconnect/plugin.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

namespace {

#include "logging.inc"

}  // namespace

RDCONNECT_SINK_PLUGIN(HeartbeatSink, "heartbeat_sink", "0.1.0",
                      "Logs from a thread of its own (a fragment's harness)",
                      kHeartbeatConfig)
