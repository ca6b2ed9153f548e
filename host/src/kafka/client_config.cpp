#include "kafka/client_config.hpp"

#include <array>

#include <spdlog/spdlog.h>

#include "common/error.hpp"

namespace rdconnect::kafka {
namespace {

// librdkafka logs with syslog severities (0 emergency .. 7 debug).
spdlog::level::level_enum to_spdlog_level(int syslog_level) {
  if (syslog_level <= 3) return spdlog::level::err;
  if (syslog_level == 4) return spdlog::level::warn;
  if (syslog_level <= 6) return spdlog::level::info;
  return spdlog::level::debug;
}

void log_callback(const rd_kafka_t* client, int level, const char* facility,
                  const char* message) {
  spdlog::log(to_spdlog_level(level), "[{}] librdkafka {}: {}",
              rd_kafka_name(client), facility, message);
}

// Transient errors (a broker down for a moment) are retried by librdkafka
// itself; they are worth a warning, not a failure. Fatal ones are caught by
// the code using the client through rd_kafka_fatal_error().
void error_callback(rd_kafka_t* client, int error, const char* reason,
                    void* /*opaque*/) {
  const auto code = static_cast<rd_kafka_resp_err_t>(error);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    spdlog::error("[{}] fatal Kafka client error: {}", rd_kafka_name(client),
                  reason);
  } else {
    spdlog::warn("[{}] Kafka client: {} ({})", rd_kafka_name(client), reason,
                 rd_kafka_err2name(code));
  }
}

// librdkafka's reason for refusing the property, if it does.
std::optional<std::string> set_property(rd_kafka_conf_t* conf,
                                        const std::string& key,
                                        const std::string& value) {
  std::array<char, 512> errstr{};
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr.data(),
                        errstr.size()) == RD_KAFKA_CONF_OK) {
    return std::nullopt;
  }
  return std::string(errstr.data());
}

}  // namespace

Properties merge(const Properties& base, const Properties& overrides) {
  Properties merged = base;
  for (const auto& [key, value] : overrides) merged[key] = value;
  return merged;
}

ConfPtr make_conf(const Properties& properties,
                  const std::string& client_name) {
  ConfPtr conf(rd_kafka_conf_new());
  auto set = [&](const std::string& key, const std::string& value) {
    if (std::optional<std::string> refusal =
            set_property(conf.get(), key, value)) {
      throw Error::fatal("Kafka property '" + key + "' for " + client_name +
                         " was refused: " + *refusal);
    }
  };
  set("client.id", "rdconnect-" + client_name);
  // KIP-714 client telemetry: with it on, destroying a client waits up to
  // a second for its last push whenever the broker offers a subscription,
  // which made every --until-caught-up run end that much later. The host
  // reports its own metrics; an operator who wants the push sets it back.
  set("enable.metrics.push", "false");
  for (const auto& [key, value] : properties) set(key, value);
  rd_kafka_conf_set_log_cb(conf.get(), &log_callback);
  rd_kafka_conf_set_error_cb(conf.get(), &error_callback);
  return conf;
}

std::optional<std::string> property_refusal(const std::string& key,
                                            const std::string& value) {
  ConfPtr conf(rd_kafka_conf_new());
  return set_property(conf.get(), key, value);
}

ClientPtr make_client(rd_kafka_type_t type, ConfPtr conf) {
  std::array<char, 512> errstr{};
  // On success rd_kafka_new takes ownership of the conf; on failure we keep it.
  rd_kafka_t* client =
      rd_kafka_new(type, conf.get(), errstr.data(), errstr.size());
  if (client == nullptr) {
    throw Error::fatal(std::string("cannot create Kafka client: ") +
                       errstr.data());
  }
  conf.release();
  return ClientPtr(client);
}

std::optional<std::string> client_fatal_error(rd_kafka_t* client) {
  std::array<char, 512> reason{};
  if (rd_kafka_fatal_error(client, reason.data(), reason.size()) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  return std::string(reason.data());
}

}  // namespace rdconnect::kafka
