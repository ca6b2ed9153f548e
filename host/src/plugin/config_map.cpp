#include "plugin/config_map.hpp"

#include <algorithm>
#include <cstring>

namespace rdconnect::plugin {

static_assert(kConfigEntrySizeV1_0 == 6 * sizeof(void*) &&
                  kDescriptorSizeV1_0 == 9 * sizeof(void*),
              "the ABI 1.0 layouts must not change");

size_t config_entry_stride(const rdc_plugin_descriptor& descriptor) {
  constexpr size_t kEnd = kDescriptorSizeV1_0 + sizeof(size_t);
  if (descriptor.struct_size < kEnd) return kConfigEntrySizeV1_0;
  return descriptor.config_entry_size;
}

std::vector<rdc_config_entry> read_config_map(
    const rdc_plugin_descriptor& descriptor) {
  const size_t stride = config_entry_stride(descriptor);
  const size_t known = std::min(stride, sizeof(rdc_config_entry));
  const auto* bytes = reinterpret_cast<const std::byte*>(descriptor.config_map);
  std::vector<rdc_config_entry> entries(descriptor.config_map_count);
  for (size_t i = 0; i < entries.size(); ++i) {
    // Byte copies, as the plugin's entries are not this host's type when
    // the strides differ.
    std::memcpy(&entries[i], bytes + i * stride, known);
  }
  return entries;
}

}  // namespace rdconnect::plugin
