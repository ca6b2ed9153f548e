// Exports LogSink as the "log_sink" plugin.
#include <rdconnect/plugin.hpp>

#include "log_sink.hpp"

namespace {

constexpr rdc_config_entry kLogSinkConfig[] = {
    {.key = "path",
     .type = RDC_CONFIG_STRING,
     .default_value = "-",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "File to append the lines to; \"-\" writes to standard output"},
    {.key = "format",
     .type = RDC_CONFIG_STRING,
     .default_value = "json",
     .required = 0,
     .secret = 0,
     .choices = "json|text",
     .doc = "json: one JSON object per record; text: "
            "\"topic[partition]@offset key=... value=...\""},
    {.key = "rotate_bytes",
     .type = RDC_CONFIG_INT,
     .default_value = "0",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Rotate the file once it reaches this size (PATH -> PATH.1 -> "
            "PATH.2 ...); 0 never rotates. Regular files only"},
    {.key = "rotate_keep",
     .type = RDC_CONFIG_INT,
     .default_value = "5",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Rotated files to keep (1 to 1000); older ones are deleted"},
};

}  // namespace

RDCONNECT_SINK_PLUGIN(rdconnect::log_sink::LogSink, "log_sink", "1.0.0",
                      "Writes each record as a line to a file or stdout",
                      kLogSinkConfig)
