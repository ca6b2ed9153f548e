# Connector configs for bench/run.sh (sourced, not run). Each writes one TOML
# file to stdout; the broker comes from KAFKA_BOOTSTRAP at run time.
# shellcheck shell=bash

# sink_config NAME GROUP TOPIC OUT: a log_sink of TOPIC into the file OUT (text
# lines, as the issue's consume row is defined) in its own consumer group,
# with the host's defaults for everything else (one task, 1 s flush
# interval, batches of 1000), as an operator would run it.
sink_config() {
	cat <<TOML
[kafka]
"bootstrap.servers" = "\${env:KAFKA_BOOTSTRAP}"

[[sink]]
name = "$1"
plugin = "log_sink"
group_id = "$2"
topics = ["$3"]

[sink.config]
path = "$4"
format = "text"
TOML
}

# source_config NAME TOPIC COUNT VALUE_BYTES: uuid_source producing COUNT
# records padded to VALUE_BYTES into TOPIC (which exists already), then done.
source_config() {
	cat <<TOML
[kafka]
"bootstrap.servers" = "\${env:KAFKA_BOOTSTRAP}"

[[source]]
name = "$1"
plugin = "uuid_source"
topic = "$2"
partitioner = "uuid_mod"

[source.config]
count = $3
value_bytes = $4
TOML
}

# postgres_config NAME GROUP TOPIC TABLE: postgres_sink inserting TOPIC into
# TABLE (jsonb layout, the plugin's default batches).
postgres_config() {
	cat <<TOML
[kafka]
"bootstrap.servers" = "\${env:KAFKA_BOOTSTRAP}"

[[sink]]
name = "$1"
plugin = "postgres_sink"
group_id = "$2"
topics = ["$3"]

[sink.config]
dsn = "\${env:PG_DSN}"
table = "$4"
mode = "insert"
TOML
}
