// Reading a plugin's function table whatever ABI minor it was built against.
//
// From ABI 1.3 the descriptor's api_size says how large the table it points
// to is, so that a later minor can append functions: the host copies the
// table into its own layout and reads no function past api_size.
#pragma once

#include <cstddef>

#include <rdconnect/plugin.h>

namespace rdconnect::plugin {

/// sizeof(rdc_sink_api) of ABI 1.0 to 1.3 (create, open, put, flush, close,
/// destroy).
inline constexpr size_t kSinkApiSizeV1_0 = 6 * sizeof(void (*)());
/// sizeof(rdc_source_api) of ABI 1.0 to 1.3 (create, poll, ack, destroy).
inline constexpr size_t kSourceApiSizeV1_0 = 4 * sizeof(void (*)());

/// The size of the table `descriptor` points to: its api_size when the
/// descriptor is large enough to have one, else the ABI 1.0 table's size for
/// its kind. `descriptor.struct_size` and `kind` must have been checked.
size_t function_table_size(const rdc_plugin_descriptor& descriptor);

/// `descriptor`'s sink table in this host's layout: functions past its
/// function_table_size() are NULL. `descriptor.sink` must not be NULL.
rdc_sink_api read_sink_api(const rdc_plugin_descriptor& descriptor);

/// As read_sink_api, for a source.
rdc_source_api read_source_api(const rdc_plugin_descriptor& descriptor);

}  // namespace rdconnect::plugin
