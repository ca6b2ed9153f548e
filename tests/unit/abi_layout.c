/*
 * Prints the layout of every type of <rdconnect/plugin.h> as this compiler
 * lays it out, one line per type: "T size S align A field OFFSET ...". The
 * suite compares the output with sdk/rust/rdconnect/abi_layout.txt, which
 * the Rust crate's own test compares with its #[repr(C)] mirror, so that a
 * change to the header cannot leave the mirror behind unnoticed.
 */
#include <rdconnect/plugin.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>

#define TYPE(T) printf("%s size %zu align %zu", #T, sizeof(T), alignof(T))
#define FIELD(T, f) printf(" %s %zu", #f, offsetof(T, f))
#define END() printf("\n")

int main(void) {
  TYPE(rdc_status), END();
  TYPE(rdc_plugin_kind), END();
  TYPE(rdc_log_level), END();
  TYPE(rdc_config_type), END();

  TYPE(rdc_config_entry), FIELD(rdc_config_entry, key),
      FIELD(rdc_config_entry, type), FIELD(rdc_config_entry, default_value),
      FIELD(rdc_config_entry, required), FIELD(rdc_config_entry, secret),
      FIELD(rdc_config_entry, choices), FIELD(rdc_config_entry, doc),
      FIELD(rdc_config_entry, min_value), FIELD(rdc_config_entry, max_value),
      FIELD(rdc_config_entry, non_empty), FIELD(rdc_config_entry, example),
      END();
  TYPE(rdc_config_value), FIELD(rdc_config_value, key),
      FIELD(rdc_config_value, value), END();

  TYPE(rdc_bytes), FIELD(rdc_bytes, data), FIELD(rdc_bytes, len), END();
  TYPE(rdc_header), FIELD(rdc_header, name), FIELD(rdc_header, value), END();
  TYPE(rdc_record), FIELD(rdc_record, topic), FIELD(rdc_record, partition),
      FIELD(rdc_record, offset), FIELD(rdc_record, timestamp_ms),
      FIELD(rdc_record, key), FIELD(rdc_record, value),
      FIELD(rdc_record, headers), FIELD(rdc_record, header_count), END();
  TYPE(rdc_source_record), FIELD(rdc_source_record, topic),
      FIELD(rdc_source_record, partition),
      FIELD(rdc_source_record, timestamp_ms), FIELD(rdc_source_record, key),
      FIELD(rdc_source_record, value), FIELD(rdc_source_record, headers),
      FIELD(rdc_source_record, header_count), FIELD(rdc_source_record, ack_id),
      END();
  TYPE(rdc_delivery), FIELD(rdc_delivery, ack_id),
      FIELD(rdc_delivery, delivered), FIELD(rdc_delivery, partition),
      FIELD(rdc_delivery, offset), FIELD(rdc_delivery, error), END();
  TYPE(rdc_topic_partition), FIELD(rdc_topic_partition, topic),
      FIELD(rdc_topic_partition, partition), FIELD(rdc_topic_partition, offset),
      END();
  TYPE(rdc_poll_result), FIELD(rdc_poll_result, records),
      FIELD(rdc_poll_result, record_count), FIELD(rdc_poll_result, finished),
      END();

  TYPE(rdc_host), FIELD(rdc_host, struct_size), FIELD(rdc_host, opaque),
      FIELD(rdc_host, connector_name), FIELD(rdc_host, log),
      FIELD(rdc_host, record_error), FIELD(rdc_host, record_failed), END();
  TYPE(rdc_sink_api), FIELD(rdc_sink_api, create), FIELD(rdc_sink_api, open),
      FIELD(rdc_sink_api, put), FIELD(rdc_sink_api, flush),
      FIELD(rdc_sink_api, close), FIELD(rdc_sink_api, destroy), END();
  TYPE(rdc_source_api), FIELD(rdc_source_api, create),
      FIELD(rdc_source_api, poll), FIELD(rdc_source_api, ack),
      FIELD(rdc_source_api, destroy), END();
  TYPE(rdc_plugin_descriptor), FIELD(rdc_plugin_descriptor, struct_size),
      FIELD(rdc_plugin_descriptor, abi_major),
      FIELD(rdc_plugin_descriptor, abi_minor),
      FIELD(rdc_plugin_descriptor, name), FIELD(rdc_plugin_descriptor, kind),
      FIELD(rdc_plugin_descriptor, version),
      FIELD(rdc_plugin_descriptor, description),
      FIELD(rdc_plugin_descriptor, config_map),
      FIELD(rdc_plugin_descriptor, config_map_count),
      FIELD(rdc_plugin_descriptor, source), FIELD(rdc_plugin_descriptor, sink),
      FIELD(rdc_plugin_descriptor, config_entry_size),
      FIELD(rdc_plugin_descriptor, check_connection),
      FIELD(rdc_plugin_descriptor, api_size), END();
  return 0;
}
