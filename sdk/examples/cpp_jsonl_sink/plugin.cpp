// Exports JsonlSink as the "cpp_jsonl_sink" plugin.
#include <rdconnect/plugin.hpp>

#include "jsonl_sink.hpp"

namespace {

using rdconnect::ConfigKey;

constexpr rdc_config_entry kJsonlSinkConfig[] = {
    ConfigKey::string("path")
        .with_default("records.jsonl")
        .non_empty()
        .example("/var/lib/rdconnect/orders.jsonl")
        .doc("File the records are appended to as JSON lines; its state "
             "(length and offsets) goes to path + \".offsets\". One task "
             "per path"),
};

}  // namespace

RDCONNECT_SINK_PLUGIN(jsonl_sink::JsonlSink, "cpp_jsonl_sink", "1.0.0",
                      "Appends records to a file as JSON lines, exactly once "
                      "(an example of offsets kept by the sink)",
                      kJsonlSinkConfig)
