// One instance of a sink plugin, each of its calls made through the
// CallChecker and told to the HarnessHost.
#pragma once

#include <vector>

#include <rdconnect/plugin.h>

#include "plugin/loaded_plugin.hpp"
#include "plugin_test/checked_call.hpp"
#include "plugin_test/harness_host.hpp"
#include "plugin_test/record_batch.hpp"

namespace rdconnect::plugin_test {

/// Each call returns false when it failed, which ends the drive; the
/// destructor destroys an instance still alive.
class SinkInstance {
 public:
  SinkInstance(const rdc_sink_api& api, CallChecker& checker, HarnessHost& host,
               Report& report, const std::vector<rdc_config_value>& config);
  ~SinkInstance();
  SinkInstance(const SinkInstance&) = delete;
  SinkInstance& operator=(const SinkInstance&) = delete;

  bool create();
  /// On return, `partitions` holds the sink's answers (also when open is
  /// NULL: RDC_OFFSET_COMMITTED).
  bool open(std::vector<rdc_topic_partition>& partitions);
  bool put(const RecordBatch& batch);
  bool flush();
  bool close(const std::vector<rdc_topic_partition>& partitions);
  /// Without close(): what a crash leaves behind, as far as the sink sees.
  void destroy();

 private:
  bool check_open_answers(const std::vector<rdc_topic_partition>& asked,
                          const std::vector<rdc_topic_partition>& answered);

  const rdc_sink_api& api_;
  CallChecker& checker_;
  HarnessHost& host_;
  Report& report_;
  const std::vector<rdc_config_value>& config_;
  void* instance_ = nullptr;
  bool alive_ = false;
};

/// "harness[0] harness[1]", or with offsets "harness[0]=42
/// harness[1]=committed".
std::string describe_partitions(const std::vector<rdc_topic_partition>& entries,
                                bool with_offsets);

}  // namespace rdconnect::plugin_test
