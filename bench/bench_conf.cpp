#include "bench_conf.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>

namespace rdconnect::bench {

void die(const std::string& message) {
  std::fprintf(stderr, "bench: %s\n", message.c_str());
  std::exit(1);
}

rd_kafka_conf_t* make_conf(const Properties& properties) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  std::array<char, 512> errstr{};
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), errstr.data(),
                          errstr.size()) != RD_KAFKA_CONF_OK) {
      die("property " + key + "=" + value + ": " + errstr.data());
    }
  }
  return conf;
}

rd_kafka_t* make_client(rd_kafka_type_t type, rd_kafka_conf_t* conf) {
  std::array<char, 512> errstr{};
  rd_kafka_t* client = rd_kafka_new(type, conf, errstr.data(), errstr.size());
  if (client == nullptr) die(std::string("rd_kafka_new: ") + errstr.data());
  return client;
}

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    die(std::string("environment variable ") + name + " is not set");
  }
  return value;
}

}  // namespace rdconnect::bench
