// Reading a plugin's config map whatever ABI minor it was built against.
//
// The host walks the map as an array, so its stride is the size of
// rdc_config_entry the plugin was built with, which grows when a minor
// appends fields: never sizeof(rdc_config_entry) of this host.
#pragma once

#include <cstddef>
#include <vector>

#include <rdconnect/plugin.h>

namespace rdconnect::plugin {

/// sizeof(rdc_config_entry) of ABI 1.0, whose entries end after doc.
inline constexpr size_t kConfigEntrySizeV1_0 =
    offsetof(rdc_config_entry, min_value);
/// sizeof(rdc_config_entry) of ABI 1.1 and 1.2, whose entries end after
/// non_empty.
inline constexpr size_t kConfigEntrySizeV1_1 =
    offsetof(rdc_config_entry, example);
/// sizeof(rdc_plugin_descriptor) of ABI 1.0, which has no config_entry_size.
inline constexpr size_t kDescriptorSizeV1_0 =
    offsetof(rdc_plugin_descriptor, config_entry_size);
/// sizeof(rdc_plugin_descriptor) of ABI 1.1, which has no check_connection.
inline constexpr size_t kDescriptorSizeV1_1 =
    offsetof(rdc_plugin_descriptor, check_connection);
/// sizeof(rdc_plugin_descriptor) of ABI 1.2, which has no api_size.
inline constexpr size_t kDescriptorSizeV1_2 =
    offsetof(rdc_plugin_descriptor, api_size);

/// The stride of `descriptor`'s config map: its config_entry_size when the
/// descriptor is large enough to have one, else the ABI 1.0 entry size.
/// `descriptor.struct_size` must have been checked.
size_t config_entry_stride(const rdc_plugin_descriptor& descriptor);

/// The entries of `descriptor`'s config map, copied into this host's layout:
/// fields the plugin's minor does not have are NULL / 0, fields of a newer
/// minor are dropped. The strings still point into the library. The stride
/// must have been checked (at least kConfigEntrySizeV1_0).
std::vector<rdc_config_entry> read_config_map(
    const rdc_plugin_descriptor& descriptor);

}  // namespace rdconnect::plugin
