// One running incarnation of a connector. The supervisor creates a new one
// for every (re)start, so an incarnation never has to reset itself.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace rdconnect::runtime {

class Connector {
 public:
  virtual ~Connector() = default;
  virtual void start() = 0;
  /// Ask every thread to stop; in-flight work is finished cleanly.
  virtual void request_stop() = 0;
  virtual void join() = 0;
  /// A plugin call that has run longer than `limit` ("flush()"), if any.
  virtual std::optional<std::string> blocked_call(
      std::chrono::milliseconds limit) const = 0;
  /// Stops task `task` (flushed and committed, as at the end of a run) and
  /// starts it anew while the others run on. False when this connector's
  /// tasks cannot restart alone (a source's one task is the connector):
  /// then its supervisor restarts the incarnation.
  virtual bool restart_task(int /*task*/) { return false; }
};

}  // namespace rdconnect::runtime
