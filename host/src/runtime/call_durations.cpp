#include "runtime/call_durations.hpp"

namespace rdconnect::runtime {

const prometheus::Histogram::BucketBoundaries& latency_buckets() {
  static const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
      0.1,    0.25,    0.5,    1,     2.5,    5,     10,   30};
  return buckets;
}

void CallDurations::observe(std::string_view call,
                            std::chrono::steady_clock::duration took) {
  const std::lock_guard lock(mutex_);
  auto found = histograms_.find(call);
  if (found == histograms_.end()) {
    found =
        histograms_
            .emplace(std::string(call),
                     std::make_unique<prometheus::Histogram>(latency_buckets()))
            .first;
  }
  found->second->Observe(std::chrono::duration<double>(took).count());
}

std::vector<std::pair<std::string, prometheus::ClientMetric>>
CallDurations::collect() const {
  const std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, prometheus::ClientMetric>> collected;
  for (const auto& [call, histogram] : histograms_) {
    collected.emplace_back(call, histogram->Collect());
  }
  return collected;
}

}  // namespace rdconnect::runtime
