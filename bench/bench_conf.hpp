// The few pieces of librdkafka plumbing the bench baselines share.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <string>

namespace rdconnect::bench {

using Properties = std::map<std::string, std::string>;

/// A conf with every property set; exits the process on a refused one (a
/// bench with a wrong setting measures nothing worth keeping).
rd_kafka_conf_t* make_conf(const Properties& properties);

/// A client of `type` owning `conf`; exits the process on failure.
rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf);

/// Prints to stderr and exits 1.
[[noreturn]] void die(const std::string& message);

/// The value of environment variable `name`, or exits when it is unset.
std::string required_env(const char* name);

}  // namespace rdconnect::bench
