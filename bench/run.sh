#!/usr/bin/env bash
# Throughput of rdconnect as ratios against raw librdkafka clients with the
# same settings, and against Kafka Connect's FileStreamSink, measured in the
# same run: every scenario alternates baseline and rdconnect rounds, so that
# load from elsewhere on the machine hits both alike, and reports medians.
# Prints a markdown table (see bench/RESULTS.md).
#
# Builds rdconnect, its plugins and the baselines into build/ (turning on
# RDCONNECT_BENCH there), fetches the Kafka Connect worker's jars once into
# ~/.cache/rdconnect (bench/lib/connect_jars.sh), and starts
# scripts/services.sh with one broker unless it is up already; it leaves the
# services running.
#
# Environment (defaults in brackets):
#   BENCH_ROUNDS              rounds per scenario [5]
#   BENCH_CONSUME_RECORDS     records the consume rows read [2000000]
#   BENCH_PRODUCE_RECORDS     records of the 100 B produce row [1000000]
#   BENCH_PRODUCE_KIB_RECORDS records of the 1 KiB produce row [300000]
#   BENCH_PG_RECORDS          records of the postgres_sink rows [500000]
#   BENCH_CONNECT_RECORDS     records of the Kafka Connect rows [1000000]
#   BENCH_ONLY                space-separated subset of: consume produce
#                             footprint postgres connect [all five]
#   BUILD_DIR                 build tree [build]
set -euo pipefail

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
readonly BENCH_DIR
readonly ROOT="$BENCH_DIR/.."
readonly BENCH_ROUNDS=${BENCH_ROUNDS:-5}
readonly BENCH_CONSUME_RECORDS=${BENCH_CONSUME_RECORDS:-2000000}
readonly BENCH_PRODUCE_RECORDS=${BENCH_PRODUCE_RECORDS:-1000000}
readonly BENCH_PRODUCE_KIB_RECORDS=${BENCH_PRODUCE_KIB_RECORDS:-300000}
readonly BENCH_PG_RECORDS=${BENCH_PG_RECORDS:-500000}
readonly BENCH_CONNECT_RECORDS=${BENCH_CONNECT_RECORDS:-1000000}
readonly BENCH_ONLY=${BENCH_ONLY:-consume produce footprint postgres connect}
readonly BENCH_PARTITIONS=2
BUILD_DIR=$(cd -- "$ROOT" && realpath -m -- "${BUILD_DIR:-build}")
# scripts/build.sh reads it too.
export BUILD_DIR
readonly BENCH_BIN="$BUILD_DIR/bin"
readonly RDCONNECT="$BUILD_DIR/bin/rdconnect"
# Topic and group names of this run: a rerun against the same broker never
# finds the last run's topics or committed offsets.
RUN_ID="$(date +%s)-$$"
readonly RUN_ID

# shellcheck source=bench/lib/measure.sh
source "$BENCH_DIR/lib/measure.sh"
# shellcheck source=bench/lib/configs.sh
source "$BENCH_DIR/lib/configs.sh"
# shellcheck source=bench/lib/watch.sh
source "$BENCH_DIR/lib/watch.sh"
# shellcheck source=bench/lib/consume.sh
source "$BENCH_DIR/lib/consume.sh"
# shellcheck source=bench/lib/produce.sh
source "$BENCH_DIR/lib/produce.sh"
# shellcheck source=bench/lib/footprint.sh
source "$BENCH_DIR/lib/footprint.sh"
# shellcheck source=bench/lib/postgres.sh
source "$BENCH_DIR/lib/postgres.sh"
# shellcheck source=bench/lib/connect_jars.sh
source "$BENCH_DIR/lib/connect_jars.sh"
# shellcheck source=bench/lib/connect.sh
source "$BENCH_DIR/lib/connect.sh"

progress() { echo "bench: $*" >&2; }

TABLE_ROWS=()
# table_row SCENARIO BASELINE RDCONNECT RATIO NOTE
table_row() { TABLE_ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }

# mib KB: kilobytes as MiB with one decimal.
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }

# human N: 2000000 -> 2M, 300000 -> 300k.
human() {
	if (($1 % 1000000 == 0)); then echo "$(($1 / 1000000))M"; elif (($1 % 1000 == 0)); then echo "$(($1 / 1000))k"; else echo "$1"; fi
}

wants() { [[ " $BENCH_ONLY " == *" $1 "* ]]; }

build() {
	# An existing tree keeps its cache: only the option is added to it.
	if [[ -f $BUILD_DIR/CMakeCache.txt ]]; then
		cmake -DRDCONNECT_BENCH=ON "$BUILD_DIR" >/dev/null
	fi
	CMAKE_ARGS="-DRDCONNECT_BENCH=ON" "$ROOT/scripts/build.sh" \
		--target rdconnect log_sink uuid_source postgres_sink bench_produce bench_consume \
		bench_watch_lines >&2
}

services() {
	local status=0
	"$ROOT/scripts/services.sh" status >/dev/null 2>&1 || status=$?
	if ((status != 0)); then
		"$ROOT/scripts/services.sh" up --brokers 1 >&2
	fi
	set -a
	eval "$("$ROOT/scripts/services.sh" env)"
	set +a
}

main() {
	build
	services
	# Before any row: a failed fetch should not waste the rows before it.
	if wants connect; then ensure_connect_jars; fi
	WORK=$(mktemp -d -t rdconnect-bench.XXXXXX)
	readonly WORK
	progress "logs in $WORK"

	if wants consume; then bench_consume_rows "$BENCH_CONSUME_RECORDS" 100; fi
	if wants produce; then
		bench_produce_rows "$BENCH_PRODUCE_RECORDS" 100
		bench_produce_rows "$BENCH_PRODUCE_KIB_RECORDS" 1024
	fi
	if wants footprint; then bench_footprint_rows; fi
	if wants postgres; then
		bench_postgres_rows "$BENCH_PG_RECORDS" insert 1
		bench_postgres_rows "$BENCH_PG_RECORDS" insert 2
		bench_postgres_rows "$BENCH_PG_RECORDS" upsert 1
	fi
	if wants connect; then bench_connect_rows "$BENCH_CONNECT_RECORDS"; fi

	echo "Rounds: $BENCH_ROUNDS, interleaved; medians. Ratio: rdconnect / baseline" \
		"(throughput: higher is better; time and RSS: lower is better)."
	echo
	echo "| scenario | baseline | rdconnect | ratio | rdconnect peak RSS |"
	echo "|---|---|---|---|---|"
	printf '%s\n' "${TABLE_ROWS[@]}"
	# Logs of a successful run are not worth the disk they take.
	rm -rf -- "$WORK"
}

main "$@"
