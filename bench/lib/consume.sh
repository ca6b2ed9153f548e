# The consume rows of bench/run.sh (sourced, not run).
# shellcheck shell=bash

# bench_consume_rows RECORDS VALUE_BYTES: fills one topic, then reads it in
# interleaved rounds with bench_consume and with `rdconnect run
# --until-caught-up` (log_sink to /dev/null), each round in fresh groups.
bench_consume_rows() {
	local records=$1 value_bytes=$2 topic="bench-consume-$RUN_ID"
	local -a base_rates=() rdc_rates=() ratios=() rdc_rss=() base_rss=()
	measure "$WORK/fill-$topic.log" "$BENCH_BIN/bench_produce" "$topic" \
		"$records" "$value_bytes" "$BENCH_PARTITIONS"
	local round base rdc
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		measure "$WORK/consume-base-$round.log" "$BENCH_BIN/bench_consume" \
			"$topic" "bench-base-$RUN_ID-$round" "$records"
		base=$(divide "$records" "$MEASURED_SECONDS")
		base_rates+=("$base")
		base_rss+=("$MEASURED_RSS_KB")

		# /dev/null: the sink's own file writes are not what is compared.
		sink_config consume "bench-rdc-$RUN_ID-$round" "$topic" /dev/null text \
			>"$WORK/consume-$round.toml"
		measure "$WORK/consume-rdc-$round.log" "$RDCONNECT" run \
			--until-caught-up "$WORK/consume-$round.toml"
		rdc=$(divide "$records" "$MEASURED_SECONDS")
		rdc_rates+=("$rdc")
		rdc_rss+=("$MEASURED_RSS_KB")
		ratios+=("$(divide "$rdc" "$base" %.3f)")
		progress "consume round $round: baseline $base rec/s, rdconnect $rdc rec/s"
	done
	throughput_row "consume $(human "$records") × $value_bytes B"
}
