// Exports UuidSource as the "uuid_source" plugin.
#include <rdconnect/plugin.hpp>

#include "uuid_source.hpp"

namespace {

using rdconnect::ConfigKey;

constexpr rdc_config_entry kUuidSourceConfig[] = {
    ConfigKey::integer("count").with_default("10000").min("0").doc(
        "Records to produce before finishing; 0 produces forever"),
    // The rate limiter's arithmetic stays within 64 bits up to 10^9 a second.
    ConfigKey::integer("rate")
        .with_default("0")
        .min("0")
        .max("1000000000")
        .doc("Records per second, evenly spaced; 0 produces as fast as the "
             "producer takes them"),
    ConfigKey::integer("keys").with_default("0").min("0").doc(
        "0: a fresh random UUID per record; N: keys drawn from a fixed pool "
        "of N UUIDs, so keys repeat (for compacted topics)"),
    ConfigKey::integer("seed").with_default("42").doc(
        "Seed of the key pool and of the draws from it (keys > 0 only); the "
        "same seed gives the same keys in the same order"),
    // librdkafka refuses messages larger than 10^9 bytes whatever
    // message.max.bytes says, so nothing above could ever be produced.
    ConfigKey::integer("value_bytes")
        .with_default("0")
        .min("0")
        .max("1000000000")
        .doc(
            "Pad each JSON value with a \"payload\" field to exactly this many "
            "bytes, from about 110 (an empty payload) up; smaller sizes and 0 "
            "leave values unpadded, at about 95 bytes"),
    ConfigKey::integer("tombstone_every")
        .with_default("0")
        .min("0")
        .doc("N: every Nth record is a tombstone (null value) for a key "
             "produced "
             "earlier in the run; 0: no tombstones"),
};

}  // namespace

RDCONNECT_SOURCE_PLUGIN(rdconnect::uuid_source::UuidSource, "uuid_source",
                        "1.0.0",
                        "Generates JSON records keyed by UUIDv4, for load "
                        "tests and demos",
                        kUuidSourceConfig)
