/*
 * c_print_sink: a sink in plain C11 against <rdconnect/plugin.h> only. It
 * writes each record as one line
 *
 *     topic[partition]@offset key=<key or null> value=<value or null>
 *
 * to the file that the config key `path` names, or to standard output for
 * "-" (the default).
 *
 * It shows what the C++ layer (plugin.hpp) otherwise does for you: filling
 * the descriptor and the function table by hand, reading the config values,
 * and reporting errors through errstr. Delivery is at least once: flush()
 * makes the lines durable before the host commits their offsets, so a crash
 * may repeat lines written after the last flush, but never loses one.
 */

/* fileno() and fsync() are POSIX, not C11: -std=c11 hides them otherwise. */
#define _POSIX_C_SOURCE 200809L

#include <rdconnect/plugin.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct print_sink {
  const rdc_host* host;
  FILE* out;
  /* Non-zero when out is a file we opened (and may fsync and fclose). */
  int owns_file;
} print_sink;

/* snprintf never writes more than errstr_size bytes, NUL included. */
static void set_error(char* errstr, size_t errstr_size, const char* what,
                      int error) {
  if (errstr == NULL || errstr_size == 0) return;
  snprintf(errstr, errstr_size, "c_print_sink: %s: %s", what, strerror(error));
}

static const char* config_value(const rdc_config_value* config, size_t count,
                                const char* key) {
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(config[i].key, key) == 0) return config[i].value;
  }
  return NULL;
}

/* Keys and values are bytes, not text: printable ASCII goes out as it is,
 * every other byte (newlines, UTF-8 sequences...) as \xNN, so that one
 * record always stays one line. A backslash is doubled to keep the escape
 * unambiguous. */
static void print_bytes(FILE* out, rdc_bytes bytes) {
  if (bytes.data == NULL) {
    fputs("null", out);
    return;
  }
  const unsigned char* data = bytes.data;
  for (size_t i = 0; i < bytes.len; ++i) {
    if (data[i] == '\\') {
      fputs("\\\\", out);
    } else if (data[i] >= 0x20 && data[i] < 0x7f) {
      putc(data[i], out);
    } else {
      fprintf(out, "\\x%02x", data[i]);
    }
  }
}

static rdc_status print_create(const rdc_host* host,
                               const rdc_config_value* config,
                               size_t config_count, void** instance,
                               char* errstr, size_t errstr_size) {
  /* The host fills in defaults, so "path" is always there; the check only
   * guards against a config map that lost its default. */
  const char* path = config_value(config, config_count, "path");
  if (path == NULL) path = "-";

  print_sink* sink = calloc(1, sizeof *sink);
  if (sink == NULL) {
    set_error(errstr, errstr_size, "cannot allocate the instance", ENOMEM);
    return RDC_FATAL;
  }
  sink->host = host;
  if (strcmp(path, "-") == 0) {
    sink->out = stdout;
  } else {
    /* Append: a restart continues the file instead of overwriting it. */
    sink->out = fopen(path, "a");
    if (sink->out == NULL) {
      const int error = errno;
      char what[512];
      snprintf(what, sizeof what, "cannot open '%s'", path);
      set_error(errstr, errstr_size, what, error);
      free(sink);
      /* Fatal, not retry: a missing directory or a permission does not fix
       * itself; the host reports the reason and restarts with backoff. */
      return RDC_FATAL;
    }
    sink->owns_file = 1;
  }

  char message[600];
  snprintf(message, sizeof message, "writing records to %s",
           sink->owns_file ? path : "standard output");
  host->log(host->opaque, RDC_LOG_INFO, message);
  *instance = sink;
  return RDC_OK;
}

/* Lines go into stdio's buffer here; flush() makes them durable. A write
 * error stdio keeps until fflush() reports it, so put() need not check. */
static rdc_status print_put(void* instance, const rdc_record* records,
                            size_t record_count, char* errstr,
                            size_t errstr_size) {
  (void)errstr, (void)errstr_size;
  print_sink* sink = instance;
  for (size_t i = 0; i < record_count; ++i) {
    const rdc_record* record = &records[i];
    fprintf(sink->out, "%s[%d]@%lld key=", record->topic,
            (int)record->partition, (long long)record->offset);
    print_bytes(sink->out, record->key);
    fputs(" value=", sink->out);
    print_bytes(sink->out, record->value);
    putc('\n', sink->out);
  }
  return RDC_OK;
}

static rdc_status print_flush(void* instance, char* errstr,
                              size_t errstr_size) {
  print_sink* sink = instance;
  /* Fatal rather than retry: after a failed fflush() stdio may have dropped
   * part of its buffer, so flushing again could not bring those lines back.
   * After RDC_FATAL the host commits nothing since the last good flush and
   * delivers those records again to a new instance. */
  if (fflush(sink->out) != 0) {
    set_error(errstr, errstr_size, "cannot write", errno);
    return RDC_FATAL;
  }
  /* fsync() makes the lines survive a power loss before the host commits
   * their offsets. Standard output is often a pipe or a terminal, which
   * cannot be synced, so only a file is. */
  if (sink->owns_file && fsync(fileno(sink->out)) != 0) {
    set_error(errstr, errstr_size, "cannot fsync", errno);
    return RDC_FATAL;
  }
  return RDC_OK;
}

static void print_destroy(void* instance) {
  print_sink* sink = instance;
  /* destroy() cannot fail: what was not flushed was not committed either,
   * and will be delivered again. */
  if (sink->owns_file) {
    fclose(sink->out);
  } else {
    fflush(sink->out);
  }
  free(sink);
}

/* open and close are NULL (allowed from ABI 1.3): this sink keeps no
 * per-partition state, and the host resumes from the committed offsets. */
static const rdc_sink_api sink_api = {
    .create = print_create,
    .open = NULL,
    .put = print_put,
    .flush = print_flush,
    .close = NULL,
    .destroy = print_destroy,
};

static const rdc_config_entry config_map[] = {
    {.key = "path",
     .type = RDC_CONFIG_STRING,
     .default_value = "-",
     .doc = "File the lines are appended to; - for standard output",
     .non_empty = 1,
     .example = "/tmp/records.txt"},
};

/* Static storage: the host reads the descriptor for as long as the library
 * is loaded. The sizes let a host of another minor version read exactly the
 * fields this plugin was built with. */
static const rdc_plugin_descriptor descriptor = {
    .struct_size = sizeof(rdc_plugin_descriptor),
    .abi_major = RDC_ABI_VERSION_MAJOR,
    .abi_minor = RDC_ABI_VERSION_MINOR,
    .name = "c_print_sink",
    .kind = RDC_KIND_SINK,
    .version = "1.0.0",
    .description = "Prints each record as one line (an example in plain C)",
    .config_map = config_map,
    .config_map_count = sizeof config_map / sizeof config_map[0],
    .source = NULL,
    .sink = &sink_api,
    .config_entry_size = sizeof(rdc_config_entry),
    .check_connection = NULL,
    .api_size = sizeof(rdc_sink_api),
};

/* The only exported symbol (build with -fvisibility=hidden): two plugins in
 * one host must never interpose each other's functions. */
__attribute__((visibility("default"))) const rdc_plugin_descriptor*
rdc_plugin_entry(void) {
  return &descriptor;
}
