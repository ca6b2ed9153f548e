// Exports FileSource as the "cpp_file_source" plugin.
#include <rdconnect/plugin.hpp>

#include "file_source.hpp"

namespace {

using rdconnect::ConfigKey;

constexpr rdc_config_entry kFileSourceConfig[] = {
    ConfigKey::string("path")
        .with_default("input.txt")
        .non_empty()
        .example("/var/log/app/events.log")
        .doc("File to tail, relative to the working directory; waited for "
             "when it does not exist yet. Each line becomes a record"),
    // An empty default stands for "derived from path": a config map's
    // defaults are fixed text and cannot name another key.
    ConfigKey::string("position_file")
        .with_default("")
        .example("/var/lib/rdconnect/events.position")
        .doc("Where the delivered position is kept across restarts; empty "
             "for path + \".position\""),
};

}  // namespace

RDCONNECT_SOURCE_PLUGIN(file_source::FileSource, "cpp_file_source", "1.0.0",
                        "Tails a file and produces each line as a record "
                        "(an example of positions acknowledged by delivery)",
                        kFileSourceConfig)
