#include "plugin/function_table.hpp"

#include <algorithm>
#include <cstring>

#include "plugin/config_map.hpp"

namespace rdconnect::plugin {
namespace {

static_assert(sizeof(rdc_sink_api) == kSinkApiSizeV1_0 &&
                  sizeof(rdc_source_api) == kSourceApiSizeV1_0,
              "a table that gains functions needs its size for each minor");

// Byte copies, as a table of another minor is not this host's type.
template <typename Table>
Table read_table(const Table* table, size_t size) {
  Table copy{};
  std::memcpy(&copy, table, std::min(size, sizeof copy));
  return copy;
}

}  // namespace

size_t function_table_size(const rdc_plugin_descriptor& descriptor) {
  if (descriptor.struct_size < kDescriptorSizeV1_2 + sizeof(size_t)) {
    return descriptor.kind == RDC_KIND_SINK ? kSinkApiSizeV1_0
                                            : kSourceApiSizeV1_0;
  }
  return descriptor.api_size;
}

rdc_sink_api read_sink_api(const rdc_plugin_descriptor& descriptor) {
  return read_table(descriptor.sink, function_table_size(descriptor));
}

rdc_source_api read_source_api(const rdc_plugin_descriptor& descriptor) {
  return read_table(descriptor.source, function_table_size(descriptor));
}

}  // namespace rdconnect::plugin
