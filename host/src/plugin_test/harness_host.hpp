// The rdc_host the harness gives a plugin: log prints, record_error and
// record_failed take every record (RDC_OK) after checking that it is one
// the contract allows the plugin to report, and count it.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <rdconnect/plugin.h>

#include "plugin_test/report.hpp"
#include "runtime/call_watch.hpp"

namespace rdconnect::plugin_test {

class HarnessHost {
 public:
  HarnessHost(Report& report, const runtime::CallWatch& watch);
  HarnessHost(const HarnessHost&) = delete;
  HarnessHost& operator=(const HarnessHost&) = delete;

  const rdc_host* c_host() const { return &host_; }

  /// `batch` is about to be given to put() (once, however often put() is
  /// repeated); it stays unflushed until flushed() or until its partitions
  /// are closed().
  void putting(std::span<const rdc_record> batch);
  void flushed();
  /// Unflushed records of these partitions are no longer the sink's.
  void closed(std::span<const rdc_topic_partition> partitions);

  /// Records reported through record_error or record_failed.
  size_t failed_records() const { return failed_records_; }

  static constexpr const char* kConnectorName = "plugin-test";

 private:
  static void log(void* opaque, rdc_log_level level, const char* message);
  static void record_error(void* opaque, const rdc_record* record,
                           const char* message);
  static rdc_status record_failed(void* opaque, const rdc_record* record,
                                  const char* message, char* errstr,
                                  size_t errstr_size);

  /// Checks and counts one report; `callback` names it in messages.
  void record_reported(const char* callback, const rdc_record* record,
                       const char* message);
  /// Why the plugin may not report `record` from `callback` now, if so.
  std::optional<std::string> report_problem(const char* callback,
                                            const rdc_record& record) const;
  static bool describes(const rdc_record* given, const rdc_record& reported);

  Report& report_;
  const runtime::CallWatch& watch_;
  rdc_host host_{};
  std::span<const rdc_record> current_batch_;
  std::vector<const rdc_record*> unflushed_;
  size_t failed_records_ = 0;
};

}  // namespace rdconnect::plugin_test
