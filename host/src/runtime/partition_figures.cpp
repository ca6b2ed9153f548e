#include "runtime/partition_figures.hpp"

namespace rdconnect::runtime {

void count_delivered(std::vector<DeliveredPartition>& counts,
                     std::string_view topic, int32_t partition,
                     uint64_t records) {
  for (DeliveredPartition& count : counts) {
    if (count.partition == partition && count.topic == topic) {
      count.records += records;
      return;
    }
  }
  counts.push_back({std::string(topic), partition, records});
}

}  // namespace rdconnect::runtime
