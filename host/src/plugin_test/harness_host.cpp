#include "plugin_test/harness_host.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "plugin_test/checked_call.hpp"

namespace rdconnect::plugin_test {
namespace {

const char* level_name(rdc_log_level level) {
  switch (level) {
    case RDC_LOG_TRACE:
      return "trace";
    case RDC_LOG_DEBUG:
      return "debug";
    case RDC_LOG_INFO:
      return "info";
    case RDC_LOG_WARN:
      return "warn";
    case RDC_LOG_ERROR:
      return "error";
  }
  return "?";
}

std::string coordinates(const rdc_record& record) {
  return fmt::format("{}[{}]@{}", record.topic ? record.topic : "(no topic)",
                     record.partition, record.offset);
}

}  // namespace

HarnessHost::HarnessHost(Report& report, const runtime::CallWatch& watch)
    : report_(report), watch_(watch) {
  host_.struct_size = sizeof(rdc_host);
  host_.opaque = this;
  host_.connector_name = kConnectorName;
  host_.log = &HarnessHost::log;
  host_.record_error = &HarnessHost::record_error;
  host_.record_failed = &HarnessHost::record_failed;
}

void HarnessHost::putting(std::span<const rdc_record> batch) {
  current_batch_ = batch;
  for (const rdc_record& record : batch) unflushed_.push_back(&record);
}

void HarnessHost::flushed() {
  current_batch_ = {};
  unflushed_.clear();
}

void HarnessHost::closed(std::span<const rdc_topic_partition> partitions) {
  current_batch_ = {};
  std::erase_if(unflushed_, [&](const rdc_record* record) {
    return std::any_of(partitions.begin(), partitions.end(),
                       [&](const rdc_topic_partition& partition) {
                         return partition.partition == record->partition &&
                                std::strcmp(partition.topic, record->topic) ==
                                    0;
                       });
  });
}

void HarnessHost::log(void* opaque, rdc_log_level level, const char* message) {
  auto* self = static_cast<HarnessHost*>(opaque);
  self->report_.plugin_says(fmt::format("log {}:", level_name(level)),
                            message ? message : "(NULL message)");
}

void HarnessHost::record_error(void* opaque, const rdc_record* record,
                               const char* message) {
  static_cast<HarnessHost*>(opaque)->record_reported("record_error", record,
                                                     message);
}

rdc_status HarnessHost::record_failed(void* opaque, const rdc_record* record,
                                      const char* message, char* errstr,
                                      size_t errstr_size) {
  (void)errstr, (void)errstr_size;
  static_cast<HarnessHost*>(opaque)->record_reported("record_failed", record,
                                                     message);
  return RDC_OK;
}

void HarnessHost::record_reported(const char* callback,
                                  const rdc_record* record,
                                  const char* message) {
  const std::string during =
      running_call(watch_).value_or("no call (from a thread of the plugin?)");
  if (record == nullptr) {
    report_.breach(during,
                   fmt::format("{}() was given a NULL record", callback),
                   "pass the record that cannot be written");
    return;
  }
  ++failed_records_;
  report_.plugin_says(fmt::format("{}({}):", callback, coordinates(*record)),
                      message ? message : "(NULL message)");
  if (std::optional<std::string> problem = report_problem(callback, *record)) {
    report_.breach(during, *problem,
                   "report only a record given to the current put(), or to "
                   "an earlier put() and not flushed since (record_failed "
                   "may pass a view of the sink's own copy, with the same "
                   "topic, partition and offset), and only during put() "
                   "(record_error) or put() and flush() (record_failed), on "
                   "the thread of that call");
  }
}

std::optional<std::string> HarnessHost::report_problem(
    const char* callback, const rdc_record& record) const {
  const std::optional<std::string> call = running_call(watch_);
  const bool in_put = call == "put()";
  const bool record_error = std::strcmp(callback, "record_error") == 0;
  if (!in_put && (record_error || call != "flush()")) {
    return fmt::format("{}() called during {}, where it is not valid", callback,
                       call.value_or("no call"));
  }
  if (record_error) {
    const bool in_batch = std::any_of(
        current_batch_.begin(), current_batch_.end(),
        [&](const rdc_record& given) { return describes(&given, record); });
    if (in_batch) return std::nullopt;
    return fmt::format(
        "record_error() reported {}, which is not a record of the current "
        "put()",
        coordinates(record));
  }
  const bool unflushed = std::any_of(
      unflushed_.begin(), unflushed_.end(),
      [&](const rdc_record* given) { return describes(given, record); });
  if (unflushed) return std::nullopt;
  return fmt::format(
      "record_failed() reported {}, which is not a record given to put() and "
      "not flushed since",
      coordinates(record));
}

// The record itself, or a view of the sink's copy of it.
bool HarnessHost::describes(const rdc_record* given,
                            const rdc_record& reported) {
  if (given == &reported) return true;
  return reported.topic != nullptr &&
         std::strcmp(given->topic, reported.topic) == 0 &&
         given->partition == reported.partition &&
         given->offset == reported.offset;
}

}  // namespace rdconnect::plugin_test
