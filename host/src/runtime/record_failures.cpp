#include "runtime/record_failures.hpp"

#include <utility>

#include <spdlog/spdlog.h>

#include <rdconnect/excerpt.hpp>

namespace rdconnect::runtime {

std::string describe_origin(const FailedRecord& record) {
  if (record.origin_offset < 0) {
    return "a record for '" + std::string(record.origin_topic) + "'";
  }
  return std::string(record.origin_topic) + "[" +
         std::to_string(record.origin_partition) + "]@" +
         std::to_string(record.origin_offset);
}

RecordFailures::RecordFailures(std::string who,
                               config::ErrorTolerance tolerance,
                               std::shared_ptr<DeadLetterQueue> dead_letters,
                               ConnectorMetrics& metrics)
    : who_(std::move(who)),
      tolerance_(tolerance),
      dead_letters_(std::move(dead_letters)),
      metrics_(metrics) {}

std::optional<std::string> RecordFailures::handle(const FailedRecord& record) {
  metrics_.record_errors.fetch_add(1);
  if (const size_t stage = record_stage_index(record.stage);
      stage < kRecordStages.size()) {
    metrics_.record_errors_by_stage[stage].fetch_add(1);
  }
  // The message may quote the record (a parser's "last read: ..."): the log
  // gets an escaped excerpt, the dead-letter headers the whole of it.
  const std::string what = describe_origin(record) + " failed at stage " +
                           std::string(record.stage) + " (" +
                           std::string(record.error_class) +
                           "): " + message_excerpt(record.message);
  if (tolerance_ == config::ErrorTolerance::none) {
    spdlog::error("[{}] {}; stopping (errors.tolerance = \"none\")", who_,
                  what);
    return what;
  }
  if (dead_letters_ == nullptr) {
    spdlog::warn("[{}] {}; skipped (errors.tolerance = \"all\")", who_, what);
    return std::nullopt;
  }
  dead_letters_->send(record);
  ++unacknowledged_;
  spdlog::warn("[{}] {}; sent to dead-letter topic '{}'", who_, what,
               dead_letters_->topic());
  return std::nullopt;
}

void RecordFailures::flush() {
  if (unacknowledged_ == 0) return;
  dead_letters_->flush();
  metrics_.dead_lettered.fetch_add(std::exchange(unacknowledged_, 0));
}

}  // namespace rdconnect::runtime
