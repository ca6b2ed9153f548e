/*
 * rdconnect plugin ABI — the boundary between the rdconnect host and a
 * source or sink plugin loaded from a shared library.
 *
 * This header is plain C so that a plugin can be written in any language
 * that can export a C function (C, C++, Rust, Zig, Go with cgo, ...). C++
 * authors normally use the header-only layer in <rdconnect/plugin.hpp>
 * instead of implementing these structs by hand.
 *
 * Loading protocol
 * ----------------
 * A plugin library exports one function, RDC_PLUGIN_ENTRY_SYMBOL:
 *
 *     const rdc_plugin_descriptor *rdc_plugin_entry(void);
 *
 * The host resolves it, calls it once, and checks the returned descriptor
 * before it trusts anything else in the library:
 *   1. struct_size and abi_major are read first; their position in the
 *      descriptor never changes. A major version the host does not speak is
 *      refused.
 *   2. struct_size must be a size the host knows for that ABI version
 *      (minor versions only append fields, so a newer minor may be larger).
 *      From ABI 1.1 on, config_entry_size must be a size of
 *      rdc_config_entry the host knows for that minor, likewise.
 *   3. kind must match the config section that names the plugin
 *      ([[source]] or [[sink]]), and the matching function table must set
 *      every required function. From ABI 1.3 on, api_size says how large
 *      that table is, so that later minors can append functions to it; the
 *      host reads no function past it.
 * Every refusal names the library file and the reason.
 *
 * Threads
 * -------
 * Each sink task and each source runs on a thread of its own, which makes
 * every call into its instance, from create() to destroy(), in order. A
 * call may block (the host waits; it shuts down by waiting for the call to
 * return), but long blocking delays rebalances and shutdown: keep put()
 * and poll() within a few seconds. check_connection runs on a thread of the
 * host's with no instance at all. The callbacks of rdc_host may be called
 * during any call into the instance, on the thread making it; only
 * rdc_host.log may also be called from threads of the plugin's own, until
 * destroy() returns.
 *
 * Rules that hold for every call
 * ------------------------------
 * - Every plugin call returns an rdc_status. On RDC_RETRY or RDC_FATAL the
 *   plugin writes a NUL-terminated, human-readable reason into errstr (at
 *   most errstr_size bytes, including the NUL).
 * - No exception, longjmp or panic may cross the boundary.
 * - The host never calls one plugin instance from two threads at the same
 *   time. Different instances of the same plugin may run concurrently on
 *   different threads, so plugins must not share mutable global state
 *   without their own locking.
 * - All pointers handed to the plugin (records, configs, partitions) are
 *   views owned by the host and valid only for the duration of the call,
 *   unless documented otherwise. Copy what you need to keep.
 * - Byte strings are (pointer, length) pairs and are not NUL-terminated.
 *   A NULL data pointer means "null" (a Kafka null key, or a tombstone
 *   value); a non-NULL pointer with length 0 means "empty".
 */
#ifndef RDCONNECT_PLUGIN_H
#define RDCONNECT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** ABI major version. Bumped on any incompatible change; the host refuses a
 *  plugin whose major differs from its own. */
#define RDC_ABI_VERSION_MAJOR 1
/** ABI minor version. Bumped when fields are appended to a struct; a host
 *  accepts plugins built against an older or newer minor of its major. */
#define RDC_ABI_VERSION_MINOR 3

/** Name of the function every plugin library exports. */
#define RDC_PLUGIN_ENTRY_SYMBOL "rdc_plugin_entry"

/** Suggested size of error buffers; the host passes at least this much. */
#define RDC_ERRSTR_SIZE 1024

/** Outcome of a plugin call. */
typedef enum rdc_status {
  /** The call succeeded. */
  RDC_OK = 0,
  /** A transient failure (lost connection, timeout, server busy). From
   *  create, open, put, flush and poll the host backs off and repeats the
   *  same call with the same input; close, ack and check_connection are
   *  not repeated (see each). */
  RDC_RETRY = 1,
  /** A permanent failure. The host stops the connector and reports errstr. */
  RDC_FATAL = 2
} rdc_status;

/** What a plugin is. */
typedef enum rdc_plugin_kind {
  /** Produces records into Kafka; implements rdc_source_api. */
  RDC_KIND_SOURCE = 1,
  /** Consumes records from Kafka; implements rdc_sink_api. */
  RDC_KIND_SINK = 2
} rdc_plugin_kind;

/** Severity of a message logged through rdc_host.log. */
typedef enum rdc_log_level {
  RDC_LOG_TRACE = 0,
  RDC_LOG_DEBUG = 1,
  RDC_LOG_INFO = 2,
  RDC_LOG_WARN = 3,
  RDC_LOG_ERROR = 4
} rdc_log_level;

/* ------------------------------------------------------------------------ */
/* Configuration                                                            */
/* ------------------------------------------------------------------------ */

/** Type of a configuration value. */
typedef enum rdc_config_type {
  /** Any string. With rdc_config_entry.choices set, one of the choices. */
  RDC_CONFIG_STRING = 1,
  /** A signed 64-bit integer. */
  RDC_CONFIG_INT = 2,
  /** A double-precision number (integers are accepted too). */
  RDC_CONFIG_DOUBLE = 3,
  /** true or false. */
  RDC_CONFIG_BOOL = 4
} rdc_config_type;

/**
 * One entry of a plugin's declarative config map. The host uses the map to
 * parse and type-check the connector's [*.config] table, fill in defaults,
 * reject unknown keys and values out of range, hide secrets from logs, and
 * print `rdconnect plugins --describe NAME`. The plugin never sees a key
 * that is not in its map, or a value of the wrong type or out of range.
 *
 * The host walks the map with the stride rdc_plugin_descriptor's
 * config_entry_size gives (ABI 1.0 plugins: the 1.0 size, up to doc), so
 * fields are only ever appended; a host treats fields a plugin's minor does
 * not have as NULL / 0.
 */
typedef struct rdc_config_entry {
  /** The key as written in the TOML table. Must not be NULL. */
  const char *key;
  /** The value's type. */
  rdc_config_type type;
  /** Default in textual form ("10", "true", "json"), or NULL for none. */
  const char *default_value;
  /** Non-zero: the key must be given (a default is then meaningless). */
  int required;
  /** Non-zero: the value is a secret (password, DSN, token) and the host
   *  never prints it. */
  int secret;
  /** For RDC_CONFIG_STRING: the allowed values separated by '|'
   *  ("json|text"), or NULL to allow any string. */
  const char *choices;
  /** One-line description, shown by `rdconnect plugins --describe`. */
  const char *doc;

  /* ABI 1.1 */

  /** For RDC_CONFIG_INT and RDC_CONFIG_DOUBLE: the smallest allowed value
   *  in the textual form of default_value ("1", "0.5"), or NULL for no
   *  lower bound. The bounds are inclusive. */
  const char *min_value;
  /** As min_value, for the largest allowed value. */
  const char *max_value;
  /** Non-zero, for RDC_CONFIG_STRING: the empty string is not allowed. */
  int non_empty;

  /* ABI 1.3 */

  /** A typical value in textual form ("postgresql://localhost/app"), or
   *  NULL. Shown by `rdconnect plugins --describe` beside the default, for
   *  keys without one above all; the host never uses it as a value. */
  const char *example;
} rdc_config_entry;

/**
 * One validated configuration value as the host hands it to create().
 * Every key of the plugin's config map that is set or has a default appears
 * exactly once, in textual form: integers in decimal, doubles in a
 * round-trippable decimal form, booleans as "true" / "false". ${env:...}
 * references have already been expanded.
 */
typedef struct rdc_config_value {
  const char *key;
  const char *value;
} rdc_config_value;

/* ------------------------------------------------------------------------ */
/* Records                                                                  */
/* ------------------------------------------------------------------------ */

/** A byte string view. data == NULL means null. */
typedef struct rdc_bytes {
  const void *data;
  size_t len;
} rdc_bytes;

/** A record header. Names are not required to be unique. */
typedef struct rdc_header {
  /** Header name, NUL-terminated. */
  const char *name;
  /** Header value; data == NULL for a null header value. */
  rdc_bytes value;
} rdc_header;

/** A record consumed from Kafka, as a sink sees it. */
typedef struct rdc_record {
  /** Topic name, NUL-terminated. */
  const char *topic;
  int32_t partition;
  int64_t offset;
  /** Milliseconds since the Unix epoch, or -1 if the record has none. */
  int64_t timestamp_ms;
  rdc_bytes key;
  /** data == NULL for a tombstone. */
  rdc_bytes value;
  const rdc_header *headers;
  size_t header_count;
} rdc_record;

/** Sentinel for rdc_source_record.partition: let the connector's
 *  partitioner choose. */
#define RDC_PARTITION_ANY (-1)

/** A record a source hands to the host for producing. */
typedef struct rdc_source_record {
  /** Destination topic, or NULL for the connector's configured topic. */
  const char *topic;
  /** Explicit partition, or RDC_PARTITION_ANY to apply the partitioner. */
  int32_t partition;
  /** Milliseconds since the Unix epoch, or 0 for "now". */
  int64_t timestamp_ms;
  rdc_bytes key;
  /** data == NULL produces a tombstone. */
  rdc_bytes value;
  const rdc_header *headers;
  size_t header_count;
  /** Opaque to the host; given back in rdc_delivery so the source can tell
   *  which record was delivered (a sequence number, a file position...). */
  uint64_t ack_id;
} rdc_source_record;

/** The outcome of producing one source record. */
typedef struct rdc_delivery {
  /** The ack_id the source gave the record. */
  uint64_t ack_id;
  /** Non-zero when the broker acknowledged the record (acks=all). */
  int delivered;
  /** Where it landed (valid when delivered). */
  int32_t partition;
  int64_t offset;
  /** Why it failed (when not delivered), NUL-terminated; else NULL. */
  const char *error;
} rdc_delivery;

/** A topic partition, with an offset whose meaning depends on the call. */
typedef struct rdc_topic_partition {
  /** Topic name, NUL-terminated. */
  const char *topic;
  int32_t partition;
  /** See rdc_sink_api.open. */
  int64_t offset;
} rdc_topic_partition;

/** rdc_topic_partition.offset value meaning "resume from the offset the
 *  consumer group committed" (the default). */
#define RDC_OFFSET_COMMITTED (-1001)

/* ------------------------------------------------------------------------ */
/* Services the host offers to a plugin instance                            */
/* ------------------------------------------------------------------------ */

/**
 * Callbacks into the host, given to create() and valid until destroy()
 * returns. Functions may be called from the thread that the host is calling
 * the plugin on; do not call them from threads of your own after destroy().
 */
typedef struct rdc_host {
  /** sizeof(rdc_host) as the host was built; fields are only appended. */
  uint32_t struct_size;
  /** Pass back as the first argument of every callback. */
  void *opaque;
  /** Name of the connector this instance belongs to, NUL-terminated. */
  const char *connector_name;

  /** Log a message; the host adds the time, level and connector name. The
   *  message must not contain secrets. Thread-safe. */
  void (*log)(void *opaque, rdc_log_level level, const char *message);

  /**
   * Report that one record of the current put() batch cannot be written,
   * for good (bad JSON, a type conflict...), while the rest of the batch is
   * fine. The host applies the connector's error policy: with
   * errors.tolerance = "all" the record is dead-lettered (or skipped) and
   * counts as handled; with "none" the connector stops after put() returns.
   * Only valid during put(); `record` must be one of the records passed to
   * that put(). Prefer record_failed, which also works during flush() and
   * says whether the host took the record.
   */
  void (*record_error)(void *opaque, const rdc_record *record,
                       const char *message);

  /* ABI 1.1: present when struct_size covers it (see RDC_HOST_HAS) */

  /**
   * Report that one record cannot be written, for good, and learn whether
   * the host took charge of it. Valid during put() and flush(). `record`
   * describes one given to the current put(), or to an earlier put() and
   * not flushed since (a sink that finds the bad record only when it writes
   * the batch passes a view of its own copy: the host reads the record only
   * during this call). Runs on the thread of the put() or flush() it is
   * called from.
   *
   * RDC_OK: the error policy settled the record (skipped, or
   * dead-lettered), and the plugin may make its offset durable. A dead
   * letter reported during flush() is acknowledged by the brokers when this
   * returns; one reported during put() is acknowledged before the host's
   * next call into the instance, so a plugin must not make it durable
   * within that same put().
   *
   * RDC_FATAL, with the reason in errstr: the record can go nowhere
   * (errors.tolerance = "none", or the dead-letter topic refused it). The
   * plugin must make nothing durable at or past the record's offset, and
   * fail the call it is in with RDC_FATAL.
   */
  rdc_status (*record_failed)(void *opaque, const rdc_record *record,
                              const char *message, char *errstr,
                              size_t errstr_size);
} rdc_host;

/** Non-zero when `host` (an rdc_host pointer) has the callback `field`. */
#define RDC_HOST_HAS(host, field)                                \
  ((host)->struct_size >=                                        \
       offsetof(rdc_host, field) + sizeof(((rdc_host *)0)->field) && \
   (host)->field != NULL)

/* ------------------------------------------------------------------------ */
/* Sink                                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Functions of a sink plugin. Lifecycle of an instance:
 *
 *   create → (open → (put* → flush)* → close)* → destroy
 *
 * The host calls open() when the consumer group assigns partitions to the
 * instance and close() before they are taken away. Offsets are committed to
 * Kafka only for records whose flush() returned RDC_OK.
 *
 * create, put, flush and destroy are required. open and close are optional
 * (ABI 1.3): NULL means "keep the committed offsets" and "nothing to drop".
 * All of them run on the sink task's thread (see Threads above); each may
 * call back rdc_host.log, and put() and flush() rdc_host.record_failed.
 */
typedef struct rdc_sink_api {
  /**
   * Create an instance from its validated config. Store the instance pointer
   * in *instance. On failure return RDC_FATAL (bad config value, cannot
   * reach the destination at all) or RDC_RETRY (worth trying again).
   */
  rdc_status (*create)(const rdc_host *host, const rdc_config_value *config,
                       size_t config_count, void **instance, char *errstr,
                       size_t errstr_size);

  /**
   * Partitions were assigned. Each entry arrives with offset
   * RDC_OFFSET_COMMITTED; a sink that keeps its own offsets (exactly-once
   * sinks store them with the data) overwrites it with the offset of the
   * next record it wants, and the host seeks there.
   */
  rdc_status (*open)(void *instance, rdc_topic_partition *partitions,
                     size_t partition_count, char *errstr, size_t errstr_size);

  /**
   * Write (or buffer) a batch of records, in offset order per partition.
   * RDC_RETRY makes the host repeat put() with the same batch later (use it
   * for back-pressure too). Records that fail on their own are reported
   * through rdc_host.record_failed (ABI 1.1; record_error before it) and
   * the call still returns RDC_OK.
   */
  rdc_status (*put)(void *instance, const rdc_record *records,
                    size_t record_count, char *errstr, size_t errstr_size);

  /**
   * Make everything given to put() so far durable. After RDC_OK the host
   * commits the offsets of those records; after RDC_RETRY it calls flush()
   * again later; after RDC_FATAL nothing since the last good flush is
   * committed and the records will be delivered again after a restart.
   */
  rdc_status (*flush)(void *instance, char *errstr, size_t errstr_size);

  /**
   * The partitions are being taken away (rebalance or shutdown). When they
   * are revoked the host has already flushed; when they are lost (the group
   * moved on without this task) it has not, and their offsets are not
   * committed. Drop per-partition state. Not repeated on RDC_RETRY: any
   * status but RDC_OK fails the task.
   */
  rdc_status (*close)(void *instance, const rdc_topic_partition *partitions,
                      size_t partition_count, char *errstr, size_t errstr_size);

  /** Free the instance. Never fails. */
  void (*destroy)(void *instance);
} rdc_sink_api;

/* ------------------------------------------------------------------------ */
/* Source                                                                   */
/* ------------------------------------------------------------------------ */

/** What a source hands back from poll(). */
typedef struct rdc_poll_result {
  /** Records to produce, owned by the plugin; they must stay valid until
   *  the next poll() or destroy() of the same instance. */
  const rdc_source_record *records;
  size_t record_count;
  /** Set non-zero when a bounded source has nothing more to produce, ever.
   *  The records returned with it are still produced. */
  int finished;
} rdc_poll_result;

/**
 * Functions of a source plugin. Lifecycle of an instance:
 *
 *   create → (poll | ack)* → destroy
 *
 * create, poll and destroy are required; ack is optional (ABI 1.3): NULL
 * means the source does not track deliveries. All of them run on the
 * source's thread (see Threads above), and each may call back rdc_host.log.
 */
typedef struct rdc_source_api {
  /** As rdc_sink_api.create. */
  rdc_status (*create)(const rdc_host *host, const rdc_config_value *config,
                       size_t config_count, void **instance, char *errstr,
                       size_t errstr_size);

  /**
   * Return up to max_records records in *result. May block up to
   * timeout_ms waiting for data (or for a rate limit); return zero records
   * when there is nothing yet. The host zeroes *result before the call.
   */
  rdc_status (*poll)(void *instance, size_t max_records, int timeout_ms,
                     rdc_poll_result *result, char *errstr, size_t errstr_size);

  /**
   * Delivery reports for records returned by earlier polls, in the order
   * the broker acknowledged them. A record that was not delivered stays the
   * source's responsibility (it may produce it again). Called between
   * polls, and once more before destroy() for what was still in flight.
   * Not repeated on RDC_RETRY (the deliveries happened): the host logs a
   * warning and goes on. RDC_FATAL fails the source.
   */
  rdc_status (*ack)(void *instance, const rdc_delivery *deliveries,
                    size_t delivery_count, char *errstr, size_t errstr_size);

  /** Free the instance. Never fails. */
  void (*destroy)(void *instance);
} rdc_source_api;

/* ------------------------------------------------------------------------ */
/* Descriptor                                                               */
/* ------------------------------------------------------------------------ */

/**
 * What rdc_plugin_entry() returns. Static storage: the host reads it for as
 * long as the library stays loaded and never frees it.
 */
typedef struct rdc_plugin_descriptor {
  /** sizeof(rdc_plugin_descriptor) as the plugin was built. Never moves. */
  uint32_t struct_size;
  /** RDC_ABI_VERSION_MAJOR as the plugin was built. Never moves. */
  uint16_t abi_major;
  /** RDC_ABI_VERSION_MINOR as the plugin was built. */
  uint16_t abi_minor;

  /** Plugin name as used in `plugin = "..."`; also the file name's stem. */
  const char *name;
  rdc_plugin_kind kind;
  /** The plugin's own version ("1.2.0"). */
  const char *version;
  /** One-line description. */
  const char *description;

  /** The config map; config_map_count entries. */
  const rdc_config_entry *config_map;
  size_t config_map_count;

  /** Set for RDC_KIND_SOURCE, NULL otherwise. */
  const rdc_source_api *source;
  /** Set for RDC_KIND_SINK, NULL otherwise. */
  const rdc_sink_api *sink;

  /* ABI 1.1 */

  /** sizeof(rdc_config_entry) as the plugin was built: the stride of
   *  config_map, which grows when rdc_config_entry gains fields. */
  size_t config_entry_size;

  /* ABI 1.2 */

  /**
   * Optional (NULL: the plugin has none). Does the system `config` names
   * (a sink's target, a source's origin) accept a connection?
   * `rdconnect validate --connect` asks, with the connector's resolved
   * config (defaults filled in) and no instance.
   *
   * Thread: one of the host's own, beside other plugins' checks; it may
   * block for up to timeout_ms. It must not write or consume any data.
   *
   * On RDC_OK the plugin may write into message (message_size bytes, NUL
   * included) what it reached ("PostgreSQL 15.4; table exists"); on
   * RDC_RETRY or RDC_FATAL (both reported as a failed check, not
   * repeated), why not and what to do. Never quote a secret
   * value in it (the host masks any it finds, but do not rely on that).
   */
  rdc_status (*check_connection)(const rdc_config_value *config,
                                 size_t config_count, int timeout_ms,
                                 char *message, size_t message_size);

  /* ABI 1.3 */

  /** sizeof the function table that source or sink points to, as the
   *  plugin was built (sizeof(rdc_sink_api) or sizeof(rdc_source_api)).
   *  Tables only ever gain functions at their end; the host treats the
   *  ones past api_size as NULL. Plugins older than 1.3 have the 1.0
   *  tables. */
  size_t api_size;
} rdc_plugin_descriptor;

/** Signature of the entry point. */
typedef const rdc_plugin_descriptor *(*rdc_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RDCONNECT_PLUGIN_H */
