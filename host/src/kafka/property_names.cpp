#include "kafka/property_names.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

#include <librdkafka/rdkafka.h>

namespace rdconnect::kafka {
namespace {

// The text of CONFIGURATION.md's tables, as librdkafka prints them.
std::string properties_table() {
  char* buffer = nullptr;
  size_t size = 0;
  FILE* stream = open_memstream(&buffer, &size);
  if (stream == nullptr) return {};
  rd_kafka_conf_properties_show(stream);
  std::fclose(stream);
  const std::unique_ptr<char, decltype(&std::free)> owned(buffer, &std::free);
  return std::string(buffer, size);
}

// A table row is "name | C/P | range | default | importance | description";
// headings, header rows and separator rows are not properties.
std::vector<std::string> read_names(const std::string& table) {
  std::vector<std::string> names;
  std::istringstream lines(table);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t bar = line.find('|');
    if (bar == std::string::npos || bar == 0 || line.starts_with('-')) {
      continue;
    }
    std::string name = line.substr(0, line.find_last_not_of(' ', bar - 1) + 1);
    if (name.empty() || name == "Property") continue;
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

std::span<const std::string> property_names() {
  static const std::vector<std::string> names = read_names(properties_table());
  return names;
}

}  // namespace rdconnect::kafka
