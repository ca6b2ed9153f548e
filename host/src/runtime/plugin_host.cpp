#include "runtime/plugin_host.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace rdconnect::runtime {
namespace {

spdlog::level::level_enum to_spdlog_level(rdc_log_level level) {
  switch (level) {
    case RDC_LOG_TRACE:
      return spdlog::level::trace;
    case RDC_LOG_DEBUG:
      return spdlog::level::debug;
    case RDC_LOG_INFO:
      return spdlog::level::info;
    case RDC_LOG_WARN:
      return spdlog::level::warn;
    case RDC_LOG_ERROR:
      return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

PluginHost::PluginHost(std::string connector_name,
                       RecordErrorHandler on_record_error)
    : connector_name_(std::move(connector_name)),
      on_record_error_(std::move(on_record_error)) {
  host_.struct_size = sizeof(rdc_host);
  host_.opaque = this;
  host_.connector_name = connector_name_.c_str();
  host_.log = &PluginHost::log;
  host_.record_error = &PluginHost::record_error;
  host_.record_failed = &PluginHost::record_failed;
}

void PluginHost::log(void* opaque, rdc_log_level level, const char* message) {
  const auto* self = static_cast<const PluginHost*>(opaque);
  spdlog::log(to_spdlog_level(level), "[{}] {}", self->connector_name_,
              message ? message : "");
}

void PluginHost::record_error(void* opaque, const rdc_record* record,
                              const char* message) {
  const auto* self = static_cast<const PluginHost*>(opaque);
  if (record == nullptr) return;
  // ABI 1.0: the plugin cannot be told; the task stops after the call.
  (void)self->on_record_error_(*record, message ? message : "no reason given");
}

rdc_status PluginHost::record_failed(void* opaque, const rdc_record* record,
                                     const char* message, char* errstr,
                                     size_t errstr_size) {
  const auto* self = static_cast<const PluginHost*>(opaque);
  std::optional<std::string> refused =
      record == nullptr
          ? std::optional<std::string>("record_failed() without a record")
          : self->on_record_error_(*record,
                                   message ? message : "no reason given");
  if (!refused) return RDC_OK;
  if (errstr != nullptr && errstr_size > 0) {
    const size_t length = std::min(refused->size(), errstr_size - 1);
    refused->copy(errstr, length);
    errstr[length] = '\0';
  }
  return RDC_FATAL;
}

}  // namespace rdconnect::runtime
