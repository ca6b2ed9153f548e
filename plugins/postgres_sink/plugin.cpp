// Exports PostgresSink as the "postgres_sink" plugin.
#include <rdconnect/plugin.hpp>

#include "postgres_sink.hpp"

namespace {

using rdconnect::ConfigKey;

constexpr rdc_config_entry kPostgresSinkConfig[] = {
    ConfigKey::string("dsn").required().secret().non_empty().doc(
        "libpq connection string, e.g. postgresql://USER:PASSWORD@HOST:PORT/DB "
        "(use ${env:PG_DSN}); never printed"),
    ConfigKey::string("table").required().non_empty().doc(
        "Target table; created by the sink when missing and auto_create is on"),
    ConfigKey::string("schema").with_default("public").non_empty().doc(
        "Schema of the target table and of the sink's rdconnect_offsets and "
        "rdconnect_migrations tables"),
    ConfigKey::string("layout")
        .with_default("jsonb")
        .choices("jsonb|columns")
        .doc("jsonb: key, value jsonb and the Kafka coordinates; columns: the "
             "value's top-level JSON fields become columns, typed by their "
             "first non-null value (text, uuid, bigint, double precision, "
             "boolean, jsonb, timestamptz for RFC 3339 strings)"),
    ConfigKey::string("mode")
        .with_default("upsert")
        .choices("insert|upsert")
        .doc("upsert: one row per key, the latest value wins; insert: one row "
             "per "
             "record"),
    ConfigKey::string("key_column")
        .with_default("key")
        .non_empty()
        .doc("Column holding the record key, of type key_type"),
    ConfigKey::string("key_type")
        .with_default("infer")
        .choices("infer|uuid|text")
        .doc("Type of the key column of a table the sink creates. uuid or "
             "text: the table is created when the connector starts (open), "
             "so it exists before any record, and an existing table's key "
             "column must have this type; infer: uuid when every key of the "
             "first batch is a UUID, else text, and the table is created with "
             "that batch. layout=columns with auto_evolve off always creates "
             "it with the first batch, whose fields become its columns"),
    ConfigKey::boolean("delete_on_tombstone")
        .with_default("true")
        .doc(
            "mode=upsert: a tombstone (null value) deletes the key's row; when "
            "false, tombstones are ignored"),
    // Capped like the host's own batch sizes and intervals: at int32, so
    // that a count or a deadline computed from it cannot overflow.
    ConfigKey::integer("batch_max_records")
        .with_default("10000")
        .min("1")
        .max("2147483647")
        .doc("Write the buffered records once this many are waiting, without "
             "waiting for the host's flush"),
    ConfigKey::integer("batch_max_ms")
        .with_default("1000")
        .min("1")
        .max("2147483647")
        .doc("Write the buffered records once the oldest has waited this long "
             "(checked when records arrive)"),
    ConfigKey::boolean("auto_create")
        .with_default("true")
        .doc("Create the target table (as a recorded migration) when it is "
             "missing"),
    ConfigKey::boolean("auto_evolve")
        .with_default("true")
        .doc("layout=columns: add a column (as a recorded migration) for a new "
             "field; when false a new field is an error naming it"),
    ConfigKey::boolean("exactly_once")
        .with_default("true")
        .doc("Store each partition's next offset in rdconnect_offsets in the "
             "same "
             "transaction as the rows, and resume from it"),
};

}  // namespace

RDCONNECT_SINK_PLUGIN(rdconnect::postgres_sink::PostgresSink, "postgres_sink",
                      "1.0.0",
                      "Writes records into a PostgreSQL table, exactly once, "
                      "with COPY and set-based upserts",
                      kPostgresSinkConfig)
