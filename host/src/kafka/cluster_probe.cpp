#include "kafka/cluster_probe.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/error.hpp"
#include "kafka/handles.hpp"

namespace rdconnect::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// The metadata request is repeated in slices this long, so that errors
// librdkafka reports meanwhile are served (and can end the wait).
constexpr auto kSlice = std::chrono::milliseconds(500);

// What librdkafka reported while the probe waited. Its error callback runs
// on the thread that calls rd_kafka_poll(), its log callback on its own.
struct Observed {
  std::mutex mutex;
  /// The last error that says why (not "1/1 brokers are down").
  std::string reason;
  /// "1/1 brokers are down" and such, when nothing better came.
  std::string fallback;
  bool hopeless = false;
};

void on_error(rd_kafka_t* /*client*/, int error, const char* reason,
              void* opaque) {
  auto& observed = *static_cast<Observed*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(error);
  std::lock_guard lock(observed.mutex);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    observed.fallback = reason;
    return;
  }
  observed.reason = reason;
  // Waiting longer cannot cure a wrong password or a dead client.
  if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
      code == RD_KAFKA_RESP_ERR__FATAL) {
    observed.hopeless = true;
  }
}

// A cluster that does not answer makes librdkafka log every failed
// connection; the probe's answer says it once.
void on_log(const rd_kafka_t* client, int /*level*/, const char* facility,
            const char* message) {
  spdlog::debug("[{}] librdkafka {}: {}", rd_kafka_name(client), facility,
                message);
}

std::string seconds(std::chrono::milliseconds duration) {
  return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000);
}

}  // namespace

ClusterInfo probe_cluster(const Properties& properties, rd_kafka_type_t type,
                          std::chrono::milliseconds timeout) {
  Observed observed;
  ConfPtr conf = make_conf(properties, "check");
  rd_kafka_conf_set_opaque(conf.get(), &observed);
  rd_kafka_conf_set_error_cb(conf.get(), &on_error);
  rd_kafka_conf_set_log_cb(conf.get(), &on_log);
  ClientPtr client = make_client(type, std::move(conf));

  const auto deadline = Clock::now() + timeout;
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    // Only the topics the client knows (none): the brokers are the point.
    err = rd_kafka_metadata(
        client.get(), 0, nullptr, &metadata,
        static_cast<int>(
            std::clamp(left, std::chrono::milliseconds(1), kSlice).count()));
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) break;
    rd_kafka_poll(client.get(), 0);
    std::lock_guard lock(observed.mutex);
    if (observed.hopeless || Clock::now() >= deadline) {
      const std::string& why = !observed.reason.empty() ? observed.reason
                               : !observed.fallback.empty()
                                   ? observed.fallback
                                   : std::string(rd_kafka_err2str(err));
      throw Error::retriable(
          observed.hopeless
              ? fmt::format("the cluster refused the client: {}", why)
              : fmt::format("no broker answered within {}: {}",
                            seconds(timeout), why));
    }
  }
  const MetadataPtr owned(metadata);
  ClusterInfo info;
  info.brokers = owned->broker_cnt;
  // Known from the metadata answer just read: no request of its own.
  if (char* id = rd_kafka_clusterid(client.get(), 1000)) {
    info.cluster_id = id;
    rd_kafka_mem_free(client.get(), id);
  }
  return info;
}

}  // namespace rdconnect::kafka
