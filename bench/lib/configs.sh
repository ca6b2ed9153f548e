# Connector configs for bench/run.sh (sourced, not run). Each writes one TOML
# file to stdout; the broker comes from KAFKA_BOOTSTRAP at run time.
# shellcheck shell=bash

# sink_config NAME GROUP TOPIC OUT FORMAT [FLUSH_INTERVAL_MS]: a log_sink of
# TOPIC into the file OUT, lines in FORMAT ("json" or "text"), in its own
# consumer group, with the host's defaults for everything not given (one
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
${6:+flush_interval_ms = $6}

[sink.config]
path = "$4"
format = "$5"
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

# connect_worker_config OFFSETS: a Kafka Connect standalone worker as Kafka's
# config/connect-standalone.properties sets one up, with converters that pass
# keys and values through as strings (FileStreamSink then writes each value
# as it came, like log_sink's text lines), its REST listener on an ephemeral
# loopback port, and source offsets (none: it runs a sink) in OFFSETS.
connect_worker_config() {
	cat <<PROPERTIES
bootstrap.servers=$KAFKA_BOOTSTRAP
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.storage.file.filename=$1
listeners=http://127.0.0.1:0
# The worker's own advice at start-up ("All plugins have ServiceLoader
# manifests"): the default, hybrid_warn, also scans every jar by reflection,
# which took 18 s of its start on this machine.
plugin.discovery=service_load
PROPERTIES
}

# file_sink_config NAME TOPIC OUT: FileStreamSinkConnector, one task, writing
# TOPIC to OUT. The worker names its consumer group connect-NAME.
file_sink_config() {
	cat <<PROPERTIES
name=$1
connector.class=org.apache.kafka.connect.file.FileStreamSinkConnector
tasks.max=1
topics=$2
file=$3
PROPERTIES
}

# connect_log4j_config LOG: the worker's log at INFO into LOG, as Kafka's
# connect-log4j2 config logs, but to a file instead of the console.
connect_log4j_config() {
	cat <<PROPERTIES
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $1
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
PROPERTIES
}
