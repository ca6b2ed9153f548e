# The produce rows of bench/run.sh (sourced, not run).
# shellcheck shell=bash

# bench_produce_rows RECORDS VALUE_BYTES: interleaved rounds of bench_produce
# and of `rdconnect run --until-caught-up` with uuid_source (count =
# RECORDS), each into a fresh topic created before the clock starts.
bench_produce_rows() {
	local records=$1 value_bytes=$2
	local -a base_rates=() rdc_rates=() ratios=() rdc_rss=() base_rss=()
	local round base rdc topic
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		topic="bench-produce-base-$RUN_ID-$value_bytes-$round"
		measure "$WORK/create-$topic.log" "$BENCH_BIN/bench_produce" "$topic" 0 0 \
			"$BENCH_PARTITIONS"
		measure "$WORK/$topic.log" "$BENCH_BIN/bench_produce" "$topic" \
			"$records" "$value_bytes"
		base=$(divide "$records" "$MEASURED_SECONDS")
		base_rates+=("$base")
		base_rss+=("$MEASURED_RSS_KB")

		topic="bench-produce-rdc-$RUN_ID-$value_bytes-$round"
		measure "$WORK/create-$topic.log" "$BENCH_BIN/bench_produce" "$topic" 0 0 \
			"$BENCH_PARTITIONS"
		source_config produce "$topic" "$records" "$value_bytes" >"$WORK/$topic.toml"
		measure "$WORK/$topic.log" "$RDCONNECT" run --until-caught-up \
			"$WORK/$topic.toml"
		rdc=$(divide "$records" "$MEASURED_SECONDS")
		rdc_rates+=("$rdc")
		rdc_rss+=("$MEASURED_RSS_KB")
		ratios+=("$(divide "$rdc" "$base" %.3f)")
		progress "produce $value_bytes B round $round: baseline $base rec/s, rdconnect $rdc rec/s"
	done
	throughput_row "produce $(human "$records") × $value_bytes B"
}
