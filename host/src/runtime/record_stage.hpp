// Where a record can fail for good, by the names the dead-letter headers
// and the metrics give the stages, and the kind of connector each is of.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace rdconnect::runtime {

struct RecordStage {
  std::string_view name;
  std::string_view kind;  ///< "sink" | "source"
};

/// plugin: the sink's plugin reported it (record_error); size: over
/// max_record_bytes; convert: it does not read as its key_format or
/// value_format; encode: a source's value that cannot be written as its
/// value_format; partitioner: its key could not be routed; produce:
/// Kafka refused it or did not deliver it.
inline constexpr std::array<RecordStage, 6> kRecordStages = {{
    {"plugin", "sink"},
    {"size", "sink"},
    {"convert", "sink"},
    {"encode", "source"},
    {"partitioner", "source"},
    {"produce", "source"},
}};

/// `stage`'s index in kRecordStages, or kRecordStages.size() for a name
/// that is not one of them.
constexpr size_t record_stage_index(std::string_view stage) {
  return static_cast<size_t>(
      std::find_if(
          kRecordStages.begin(), kRecordStages.end(),
          [&](const RecordStage& known) { return known.name == stage; }) -
      kRecordStages.begin());
}

}  // namespace rdconnect::runtime
