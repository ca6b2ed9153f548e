// Exports LogSink as the "log_sink" plugin.
#include <rdconnect/plugin.hpp>

#include "log_sink.hpp"

namespace {

using rdconnect::ConfigKey;

constexpr rdc_config_entry kLogSinkConfig[] = {
    ConfigKey::string("path").with_default("-").non_empty().doc(
        "File to append the lines to; \"-\" writes to standard output"),
    ConfigKey::string("format")
        .with_default("json")
        .choices("json|text")
        .doc("json: one JSON object per record; text: "
             "\"topic[partition]@offset key=... value=...\""),
    ConfigKey::integer("rotate_bytes")
        .with_default("0")
        .min("0")
        .doc("Rotate the file once it reaches this size (PATH -> PATH.1 -> "
             "PATH.2 ...); 0 never rotates. Regular files only"),
    // Rotation renames every kept file, so more would only slow it down.
    ConfigKey::integer("rotate_keep")
        .with_default("5")
        .min("1")
        .max("1000")
        .doc("Rotated files to keep (1 to 1000); older ones are deleted"),
    // Records may hold personal data: private to the owner by default.
    ConfigKey::string("file_mode")
        .with_default("0600")
        .non_empty()
        .doc("Permissions, in octal, of a file the sink creates (also after a "
             "rotation), less the umask; an existing file keeps its own"),
};

}  // namespace

RDCONNECT_SINK_PLUGIN(rdconnect::log_sink::LogSink, "log_sink", "1.0.0",
                      "Writes each record as a line to a file or stdout",
                      kLogSinkConfig)
