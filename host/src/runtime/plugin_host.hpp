// The rdc_host a plugin instance receives: logging under the connector's
// name and the per-record error report.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include <rdconnect/plugin.h>

namespace rdconnect::runtime {

class PluginHost {
 public:
  /// Called for every record_error and record_failed from the plugin, on
  /// the plugin call's thread. Returns why the record could not be taken
  /// (the plugin must then not make it durable), or nullopt.
  using RecordErrorHandler = std::function<std::optional<std::string>(
      const rdc_record& record, const char* message)>;

  PluginHost(std::string connector_name, RecordErrorHandler on_record_error);
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  const rdc_host* c_host() const { return &host_; }

 private:
  static void log(void* opaque, rdc_log_level level, const char* message);
  static void record_error(void* opaque, const rdc_record* record,
                           const char* message);
  static rdc_status record_failed(void* opaque, const rdc_record* record,
                                  const char* message, char* errstr,
                                  size_t errstr_size);

  std::string connector_name_;
  RecordErrorHandler on_record_error_;
  rdc_host host_{};
};

}  // namespace rdconnect::runtime
