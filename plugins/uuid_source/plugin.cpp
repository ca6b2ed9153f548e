// Exports UuidSource as the "uuid_source" plugin.
#include <rdconnect/plugin.hpp>

#include "uuid_source.hpp"

namespace {

constexpr rdc_config_entry kUuidSourceConfig[] = {
    {.key = "count",
     .type = RDC_CONFIG_INT,
     .default_value = "10000",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Records to produce before finishing; 0 produces forever"},
    {.key = "rate",
     .type = RDC_CONFIG_INT,
     .default_value = "0",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Records per second, evenly spaced; 0 produces as fast as the "
            "producer takes them"},
    {.key = "keys",
     .type = RDC_CONFIG_INT,
     .default_value = "0",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "0: a fresh random UUID per record; N: keys drawn from a fixed "
            "pool of N UUIDs, so keys repeat (for compacted topics)"},
    {.key = "seed",
     .type = RDC_CONFIG_INT,
     .default_value = "42",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Seed of the key pool and of the draws from it (keys > 0 only); "
            "the same seed gives the same keys in the same order"},
    {.key = "value_bytes",
     .type = RDC_CONFIG_INT,
     .default_value = "0",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "Pad each JSON value with a \"payload\" field to exactly this "
            "many bytes, from about 110 (an empty payload) up; smaller "
            "sizes and 0 leave values unpadded, at about 95 bytes"},
    {.key = "tombstone_every",
     .type = RDC_CONFIG_INT,
     .default_value = "0",
     .required = 0,
     .secret = 0,
     .choices = nullptr,
     .doc = "N: every Nth record is a tombstone (null value) for a key "
            "produced earlier in the run; 0: no tombstones"},
};

}  // namespace

RDCONNECT_SOURCE_PLUGIN(rdconnect::uuid_source::UuidSource, "uuid_source",
                        "1.0.0",
                        "Generates JSON records keyed by UUIDv4, for load "
                        "tests and demos",
                        kUuidSourceConfig)
