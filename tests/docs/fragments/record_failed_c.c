/* Harness of the fragment record_failed_c (docs/writing-plugins.md,
 * section 8): the fragment is the put() of this C sink. */
#include <rdconnect/plugin.h>

#include <stdio.h>
#include <stdlib.h>

typedef struct checked_sink {
  const rdc_host* host;
  size_t written;
} checked_sink;

static rdc_status checked_create(const rdc_host* host,
                                 const rdc_config_value* config,
                                 size_t config_count, void** instance,
                                 char* errstr, size_t errstr_size) {
  (void)config, (void)config_count;
  checked_sink* sink = calloc(1, sizeof *sink);
  if (sink == NULL) {
    snprintf(errstr, errstr_size, "out of memory");
    return RDC_FATAL;
  }
  sink->host = host;
  *instance = sink;
  return RDC_OK;
}

#include "record_failed_c.inc"

static rdc_status checked_flush(void* instance, char* errstr,
                                size_t errstr_size) {
  (void)errstr, (void)errstr_size;
  ((checked_sink*)instance)->written = 0;
  return RDC_OK;
}

static void checked_destroy(void* instance) { free(instance); }

static const rdc_sink_api checked_api = {
    .create = checked_create,
    .put = checked_put,
    .flush = checked_flush,
    .destroy = checked_destroy,
};

static const rdc_config_entry checked_config[] = {
    {.key = "table",
     .type = RDC_CONFIG_STRING,
     .default_value = "events",
     .doc = "Where the rows would go"},
};

static const rdc_plugin_descriptor checked_descriptor = {
    .struct_size = sizeof(rdc_plugin_descriptor),
    .abi_major = RDC_ABI_VERSION_MAJOR,
    .abi_minor = RDC_ABI_VERSION_MINOR,
    .name = "checked_c_sink",
    .kind = RDC_KIND_SINK,
    .version = "0.1.0",
    .description =
        "Reports records it cannot write, in C (a fragment's "
        "harness)",
    .config_map = checked_config,
    .config_map_count = sizeof checked_config / sizeof checked_config[0],
    .sink = &checked_api,
    .config_entry_size = sizeof(rdc_config_entry),
    .api_size = sizeof(rdc_sink_api),
};

__attribute__((visibility("default"))) const rdc_plugin_descriptor*
rdc_plugin_entry(void) {
  return &checked_descriptor;
}
