# Connector configs for bench/run.sh (sourced, not run). Each writes one TOML
# file to stdout; the broker comes from KAFKA_BOOTSTRAP at run time.
# shellcheck shell=bash

# sink_config NAME GROUP TOPIC OUT: a log_sink of TOPIC into the file OUT in
# its own consumer group, with the host's defaults for everything else (one
# task, 1 s flush interval, batches of 1000), as an operator would run it.
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
format = "json"
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

# postgres_config NAME GROUP TOPIC TABLE MODE TASKS: postgres_sink writing
# TOPIC into TABLE in MODE (insert or upsert) with TASKS tasks (jsonb layout,
# the plugin's default batches).
postgres_config() {
	cat <<TOML
[kafka]
"bootstrap.servers" = "\${env:KAFKA_BOOTSTRAP}"

[[sink]]
name = "$1"
plugin = "postgres_sink"
group_id = "$2"
topics = ["$3"]
tasks = $6

[sink.config]
dsn = "\${env:PG_DSN}"
table = "$4"
mode = "$5"
TOML
}
