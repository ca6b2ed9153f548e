// How long plugin calls take, by call (put, flush, poll, ...), as
// Prometheus histograms: one per call name, made on its first use.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <prometheus/client_metric.h>
#include <prometheus/histogram.h>

namespace rdconnect::runtime {

/// Bucket bounds of the host's latency histograms, in seconds: 100 µs to
/// 30 s, as a sink's put and flush and a source's poll range.
const prometheus::Histogram::BucketBoundaries& latency_buckets();

class CallDurations {
 public:
  /// Any thread (the connector's tasks share one CallDurations).
  void observe(std::string_view call, std::chrono::steady_clock::duration took);
  /// Each call's histogram so far, by call name.
  std::vector<std::pair<std::string, prometheus::ClientMetric>> collect() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<prometheus::Histogram>, std::less<>>
      histograms_;
};

}  // namespace rdconnect::runtime
