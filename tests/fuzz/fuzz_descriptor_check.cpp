// Fuzzes the checks of a plugin's descriptor (what rdc_plugin_entry()
// returned): sizes and versions, kind and function tables, and the config
// map with its types, choices, ranges and defaults.
//
// The input is read with FuzzedDataProvider into a descriptor the way a
// plugin lays one out, with its config map at the stride the descriptor
// claims, so the host reads only memory a real plugin would provide.
// Function pointers are only ever compared with NULL, never called.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>
#include <rdconnect/plugin.h>

#include "plugin/config_map.hpp"
#include "plugin/descriptor_check.hpp"
#include "plugin/loaded_plugin.hpp"

namespace {

using rdconnect::plugin::kConfigEntrySizeV1_0;
using rdconnect::plugin::kDescriptorSizeV1_0;

// The largest config map stride the harness lays out; larger ones are
// replaced by this host's size.
constexpr size_t kMaxStride = 512;

class Input {
 public:
  Input(const uint8_t* data, size_t size) : provider_(data, size) {}

  // A string, or NULL.
  const char* string() {
    if (provider_.ConsumeIntegralInRange<int>(0, 7) == 0) return nullptr;
    strings_.push_back(provider_.ConsumeRandomLengthString(64));
    return strings_.back().c_str();
  }

  template <typename T>
  T pick(std::initializer_list<T> common) {
    const size_t choice =
        provider_.ConsumeIntegralInRange<size_t>(0, common.size());
    if (choice < common.size()) return *(common.begin() + choice);
    return provider_.ConsumeIntegral<T>();
  }

  bool flag() { return provider_.ConsumeBool(); }

  // Fills `table` pointer slot by slot with NULL or a non-NULL sentinel.
  template <typename Table>
  void function_table(Table& table) {
    static_assert(sizeof(Table) % sizeof(void*) == 0);
    auto* bytes = reinterpret_cast<unsigned char*>(&table);
    for (size_t slot = 0; slot < sizeof(Table) / sizeof(void*); ++slot) {
      // Most slots set, so that complete tables are common.
      const unsigned char fill =
          provider_.ConsumeIntegralInRange<int>(0, 7) == 0 ? 0 : 0x41;
      std::memset(bytes + slot * sizeof(void*), fill, sizeof(void*));
    }
  }

  size_t remaining() { return provider_.remaining_bytes(); }

 private:
  FuzzedDataProvider provider_;
  std::deque<std::string> strings_;
};

rdc_config_entry entry_from(Input& in) {
  rdc_config_entry entry{};
  entry.key = in.string();
  const int type = in.pick<int>(
      {RDC_CONFIG_STRING, RDC_CONFIG_INT, RDC_CONFIG_DOUBLE, RDC_CONFIG_BOOL});
  std::memcpy(&entry.type, &type, sizeof type);
  entry.default_value = in.string();
  entry.required = in.flag();
  entry.secret = in.flag();
  entry.choices = in.string();
  entry.doc = in.string();
  entry.min_value = in.string();
  entry.max_value = in.string();
  entry.non_empty = in.flag();
  return entry;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(data, size);
  rdc_plugin_descriptor descriptor{};
  descriptor.struct_size =
      in.pick<uint32_t>({static_cast<uint32_t>(sizeof(rdc_plugin_descriptor)),
                         static_cast<uint32_t>(kDescriptorSizeV1_0)});
  descriptor.abi_major = in.pick<uint16_t>({RDC_ABI_VERSION_MAJOR});
  descriptor.abi_minor = in.pick<uint16_t>({RDC_ABI_VERSION_MINOR, 0});
  descriptor.name = in.string();
  const int kind = in.pick<int>({RDC_KIND_SINK, RDC_KIND_SOURCE});
  std::memcpy(&descriptor.kind, &kind, sizeof kind);
  descriptor.version = in.string();
  descriptor.description = in.string();

  rdc_source_api source{};
  rdc_sink_api sink{};
  in.function_table(source);
  in.function_table(sink);
  descriptor.source = in.flag() ? &source : nullptr;
  descriptor.sink = in.flag() ? &sink : nullptr;
  descriptor.config_entry_size =
      in.pick<size_t>({sizeof(rdc_config_entry), kConfigEntrySizeV1_0});
  descriptor.api_size = in.pick<size_t>(
      {kind == RDC_KIND_SINK ? sizeof(rdc_sink_api) : sizeof(rdc_source_api),
       0});

  std::vector<rdc_config_entry> entries;
  while (in.remaining() > 0 && entries.size() < 16 && in.flag()) {
    entries.push_back(entry_from(in));
  }
  size_t stride = rdconnect::plugin::config_entry_stride(descriptor);
  if (stride > kMaxStride) {
    descriptor.config_entry_size = sizeof(rdc_config_entry);
    stride = rdconnect::plugin::config_entry_stride(descriptor);
  }
  // Laid out as the plugin would: entry i at i * stride, each holding the
  // fields both sides know.
  std::vector<std::byte> map(entries.size() * stride);
  for (size_t i = 0; stride > 0 && i < entries.size(); ++i) {
    std::memcpy(map.data() + i * stride, &entries[i],
                std::min(stride, sizeof(rdc_config_entry)));
  }
  descriptor.config_map_count = entries.size();
  descriptor.config_map =
      entries.empty() && in.flag()
          ? nullptr
          : reinterpret_cast<const rdc_config_entry*>(map.data());
  if (!entries.empty() && in.flag()) descriptor.config_map = nullptr;

  try {
    rdconnect::plugin::check_descriptor(&descriptor, "/plugins/fuzz_plugin.so");
  } catch (const rdconnect::plugin::PluginLoadError&) {
    // A refused descriptor is the expected outcome for most inputs.
  }
  return 0;
}
