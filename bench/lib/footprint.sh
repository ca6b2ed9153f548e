# The footprint rows of bench/run.sh (sourced, not run).
# shellcheck shell=bash

# The sink's flush interval in these rows: log_sink writes its lines to the
# file at a flush, and the host's default of 1 s would make the row measure
# the flush timer instead of start-up. 10 ms adds at most that.
readonly FOOTPRINT_FLUSH_INTERVAL_MS=10

# bench_footprint_rows: a topic with one record; interleaved rounds of
# bench_consume reading it (start to exit, and its peak RSS) and of rdconnect
# logging it (start to the line in the file, and its RSS while idle after).
bench_footprint_rows() {
	local topic="bench-footprint-$RUN_ID" round
	local -a base_first=() rdc_first=() first_ratios=() base_rss=() rdc_rss=() rss_ratios=()
	measure "$WORK/fill-$topic.log" "$BENCH_BIN/bench_produce" "$topic" 1 100 \
		"$BENCH_PARTITIONS"
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		measure "$WORK/footprint-base-$round.log" "$BENCH_BIN/bench_consume" \
			"$topic" "bench-first-base-$RUN_ID-$round" 1
		base_first+=("$MEASURED_SECONDS")
		base_rss+=("$MEASURED_RSS_KB")

		# No --until-caught-up: rdconnect stays up, idle, once the one record
		# is written, and its VmRSS then is the idle RSS.
		local out="$WORK/footprint-$round.jsonl" first
		sink_config first "bench-first-rdc-$RUN_ID-$round" "$topic" "$out" json \
			"$FOOTPRINT_FLUSH_INTERVAL_MS" >"$WORK/footprint-$round.toml"
		watch_sink "$out" 1 "$WORK/footprint-rdc-$round.log" \
			"$RDCONNECT" run "$WORK/footprint-$round.toml"
		first=$(seconds_between "$WATCH_START" "$WATCH_FIRST")
		rdc_first+=("$first")
		rdc_rss+=("$WATCH_RSS_KB")
		first_ratios+=("$(divide "$first" "$MEASURED_SECONDS" %.3f)")
		rss_ratios+=("$(divide "$WATCH_RSS_KB" "$MEASURED_RSS_KB" %.3f)")
		progress "footprint round $round: first record ${MEASURED_SECONDS}s vs ${first}s"
	done
	seconds_row "start → first record" base_first rdc_first first_ratios
	rss_row "idle RSS, one sink task" base_rss rdc_rss rss_ratios
}
