// Building librdkafka clients from the host's configuration.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "kafka/handles.hpp"

namespace rdconnect::kafka {

using Properties = std::map<std::string, std::string>;

/// `base` with `overrides` applied on top; later maps win.
Properties merge(const Properties& base, const Properties& overrides);

/// A conf holding `properties`, with librdkafka's log and error callbacks
/// routed to spdlog under `client_name`. Throws rdconnect::Error (fatal)
/// naming the property when librdkafka rejects one; the value is not shown,
/// because it may be a password (sasl.password, ssl.key.password...).
ConfPtr make_conf(const Properties& properties, const std::string& client_name);

/// librdkafka's reason for refusing `key` = `value` (an unknown property, a
/// value it cannot parse), or nullopt when it takes it; tried on a throwaway
/// conf, so that a config is checked before any client exists.
std::optional<std::string> property_refusal(const std::string& key,
                                            const std::string& value);

/// Create a client of `type` from `conf` (consumed). Throws on failure.
ClientPtr make_client(rd_kafka_type_t type, ConfPtr conf);

/// The reason `client` failed for good (rd_kafka_fatal_error), if it did.
std::optional<std::string> client_fatal_error(rd_kafka_t* client);

}  // namespace rdconnect::kafka
