#include "plugin_test/sink_instance.hpp"

#include <fmt/format.h>

namespace rdconnect::plugin_test {

std::string describe_partitions(const std::vector<rdc_topic_partition>& entries,
                                bool with_offsets) {
  std::string text;
  for (const rdc_topic_partition& entry : entries) {
    if (!text.empty()) text += ' ';
    text += fmt::format("{}[{}]", entry.topic, entry.partition);
    if (!with_offsets) continue;
    if (entry.offset == RDC_OFFSET_COMMITTED) {
      text += "=committed";
    } else {
      text += fmt::format("={}", entry.offset);
    }
  }
  return text;
}

SinkInstance::SinkInstance(const rdc_sink_api& api, CallChecker& checker,
                           HarnessHost& host, Report& report,
                           const std::vector<rdc_config_value>& config)
    : api_(api),
      checker_(checker),
      host_(host),
      report_(report),
      config_(config) {}

SinkInstance::~SinkInstance() { destroy(); }

bool SinkInstance::create() {
  alive_ = checker_.call("create", [&](char* errstr, size_t size) {
    return api_.create(host_.c_host(), config_.data(), config_.size(),
                       &instance_, errstr, size);
  });
  return alive_;
}

bool SinkInstance::open(std::vector<rdc_topic_partition>& partitions) {
  if (api_.open == nullptr) {
    report_.skipped("open");
    return true;
  }
  const std::vector<rdc_topic_partition> asked = partitions;
  const bool opened = checker_.call(
      "open",
      [&](char* errstr, size_t size) {
        // A repeated call gets the same input, as the host gives it.
        partitions = asked;
        return api_.open(instance_, partitions.data(), partitions.size(),
                         errstr, size);
      },
      [&] { return describe_partitions(partitions, true); });
  return opened && check_open_answers(asked, partitions);
}

bool SinkInstance::check_open_answers(
    const std::vector<rdc_topic_partition>& asked,
    const std::vector<rdc_topic_partition>& answered) {
  bool good = true;
  for (size_t i = 0; i < asked.size(); ++i) {
    if (answered[i].topic != asked[i].topic ||
        answered[i].partition != asked[i].partition) {
      good = false;
      report_.breach("open()",
                     fmt::format("changed the topic or partition of entry {} "
                                 "({}[{}])",
                                 i, asked[i].topic, asked[i].partition),
                     "write only the offset field of each entry");
    } else if (answered[i].offset < 0 &&
               answered[i].offset != RDC_OFFSET_COMMITTED) {
      good = false;
      report_.breach(
          "open()",
          fmt::format("answered offset {} for {}[{}]", answered[i].offset,
                      asked[i].topic, asked[i].partition),
          "leave RDC_OFFSET_COMMITTED, or set the offset (>= 0) "
          "of the next record the sink wants");
    }
  }
  return good;
}

bool SinkInstance::put(const RecordBatch& batch) {
  host_.putting(batch.views());
  return checker_.call(
      "put",
      [&](char* errstr, size_t size) {
        return api_.put(instance_, batch.views().data(), batch.views().size(),
                        errstr, size);
      },
      [&] { return fmt::format("{} records", batch.views().size()); });
}

bool SinkInstance::flush() {
  const bool flushed = checker_.call("flush", [&](char* errstr, size_t size) {
    return api_.flush(instance_, errstr, size);
  });
  if (flushed) host_.flushed();
  return flushed;
}

bool SinkInstance::close(const std::vector<rdc_topic_partition>& partitions) {
  host_.closed(partitions);
  if (api_.close == nullptr) {
    report_.skipped("close");
    return true;
  }
  return checker_.call(
      "close",
      [&](char* errstr, size_t size) {
        return api_.close(instance_, partitions.data(), partitions.size(),
                          errstr, size);
      },
      [&] { return describe_partitions(partitions, false); });
}

void SinkInstance::destroy() {
  if (!alive_) return;
  alive_ = false;
  checker_.call_void("destroy", [&] { api_.destroy(instance_); });
}

}  // namespace rdconnect::plugin_test
