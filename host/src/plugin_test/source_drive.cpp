#include "plugin_test/source_drive.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "plugin_test/source_record_check.hpp"
#include "runtime/source_poll.hpp"

namespace rdconnect::plugin_test {
namespace {

using Clock = std::chrono::steady_clock;

// Polls answering nothing in a row that are shown before they are counted.
constexpr size_t kShownEmptyPolls = 3;
// Problems shown of one poll; the rest are counted.
constexpr size_t kShownProblems = 5;

class SourceLifecycle {
 public:
  SourceLifecycle(const SourceContext& source, size_t count)
      : source_(source), count_(count) {}

  void run(std::chrono::milliseconds deadline) {
    if (!create()) return;
    const Clock::time_point end = Clock::now() + deadline;
    while (!finished_ && produced_ < count_ && Clock::now() < end) {
      if (!poll() || !ack() || !unchanged()) break;
    }
    show_hidden_polls();
    if (finished_) {
      source_.report.note(
          fmt::format("-- the source finished after {} records", produced_));
    } else if (produced_ < count_ && Clock::now() >= end) {
      source_.report.note(fmt::format(
          "-- deadline of {} ms reached after {} of {} records (not a breach)",
          deadline.count(), produced_, count_));
    }
    source_.checker.call_void("destroy",
                              [&] { source_.api.destroy(instance_); });
  }

 private:
  bool create() {
    return source_.checker.call("create", [&](char* errstr, size_t size) {
      return source_.api.create(source_.host.c_host(), source_.config.data(),
                                source_.config.size(), &instance_, errstr,
                                size);
    });
  }

  bool poll() {
    const size_t max =
        std::min(runtime::kSourceMaxRecordsPerPoll, count_ - produced_);
    const bool quiet = empty_polls_ >= kShownEmptyPolls;
    const bool polled = source_.checker.call(
        "poll",
        [&](char* errstr, size_t size) {
          // The host zeroes *result before each call.
          result_ = {};
          return source_.api.poll(instance_, max, runtime::kSourcePollTimeoutMs,
                                  &result_, errstr, size);
        },
        [&] {
          return fmt::format("{} records{}", result_.record_count,
                             result_.finished ? ", finished" : "");
        },
        quiet);
    if (!polled) return false;
    count_empty_poll(quiet);
    if (!well_formed(max)) return false;
    produced_ += result_.record_count;
    finished_ = result_.finished != 0;
    fingerprint_ = fingerprint(result_);
    return true;
  }

  void count_empty_poll(bool quiet) {
    if (result_.record_count > 0) {
      show_hidden_polls();
      empty_polls_ = 0;
      return;
    }
    ++empty_polls_;
    if (quiet) ++hidden_polls_;
  }

  void show_hidden_polls() {
    if (hidden_polls_ == 0) return;
    source_.report.note(
        fmt::format("poll     OK           ({} more polls returned no records)",
                    hidden_polls_));
    hidden_polls_ = 0;
  }

  bool well_formed(size_t max) {
    const std::vector<std::string> problems =
        poll_result_problems(result_, max);
    for (size_t i = 0; i < problems.size() && i < kShownProblems; ++i) {
      source_.report.breach("poll()",
                            "returned a malformed record set: " + problems[i],
                            "see rdc_source_record and rdc_poll_result in "
                            "plugin.h for what each field may hold");
    }
    if (problems.size() > kShownProblems) {
      source_.report.note(fmt::format("  ({} more problems not shown)",
                                      problems.size() - kShownProblems));
    }
    return problems.empty();
  }

  // Every record as delivered, where a broker would put it.
  bool ack() {
    if (result_.record_count == 0) return true;
    if (source_.api.ack == nullptr) {
      if (!ack_skip_shown_) source_.report.skipped("ack");
      ack_skip_shown_ = true;
      return true;
    }
    std::vector<rdc_delivery> deliveries;
    for (size_t i = 0; i < result_.record_count; ++i) {
      const rdc_source_record& record = result_.records[i];
      const int32_t partition = std::max(record.partition, 0);
      deliveries.push_back(
          {record.ack_id, 1, partition, next_offsets_[partition]++, nullptr});
    }
    return source_.checker.call(
        "ack",
        [&](char* errstr, size_t size) {
          return source_.api.ack(instance_, deliveries.data(),
                                 deliveries.size(), errstr, size);
        },
        [&] { return fmt::format("{} deliveries", deliveries.size()); });
  }

  // The records must stay valid until the next poll(): acks come between.
  bool unchanged() {
    if (fingerprint(result_) == fingerprint_) return true;
    source_.report.breach(
        "poll()",
        "the records the last poll() returned changed before the next poll() "
        "(after ack())",
        "keep the records, and every buffer they point to, valid and "
        "unchanged until the next poll() or destroy()");
    return false;
  }

  const SourceContext& source_;
  const size_t count_;
  void* instance_ = nullptr;
  rdc_poll_result result_{};
  uint64_t fingerprint_ = 0;
  size_t produced_ = 0;
  bool finished_ = false;
  size_t empty_polls_ = 0;
  size_t hidden_polls_ = 0;
  bool ack_skip_shown_ = false;
  std::map<int32_t, int64_t> next_offsets_;
};

}  // namespace

void drive_source(const SourceContext& source, size_t count,
                  std::chrono::milliseconds deadline) {
  source.report.note(fmt::format(
      "-- source lifecycle: create, poll until {} records (or finished), ack "
      "each as delivered, destroy",
      count));
  SourceLifecycle(source, count).run(deadline);
}

}  // namespace rdconnect::plugin_test
