# The footprint rows of bench/run.sh (sourced, not run).
# shellcheck shell=bash

# How often the wait for rdconnect's first output line looks at the file;
# also the resolution of the latency it measures.
readonly FOOTPRINT_POLL_SECONDS=0.005

# first_record_rdconnect CONFIG OUT LOG: starts `rdconnect run CONFIG` (no
# --until-caught-up: it stays up, idle, once the one record is written),
# waits until OUT has its first line, and sets FIRST_SECONDS (start to that
# line) and IDLE_RSS_KB (VmRSS then: the topic holds nothing more to read).
# Stops rdconnect with SIGTERM and waits for it.
first_record_rdconnect() {
	local config=$1 out=$2 log=$3 start pid deadline
	start=$EPOCHREALTIME
	"$RDCONNECT" run "$config" >"$log" 2>&1 &
	pid=$!
	deadline=$((SECONDS + BENCH_STEP_TIMEOUT))
	until [[ -s $out ]]; do
		if ! kill -0 "$pid" 2>/dev/null || ((SECONDS > deadline)); then
			echo "bench: rdconnect wrote no record (log $log)" >&2
			kill "$pid" 2>/dev/null || true
			return 1
		fi
		sleep "$FOOTPRINT_POLL_SECONDS"
	done
	FIRST_SECONDS=$(seconds_between "$start" "$EPOCHREALTIME")
	IDLE_RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	kill -TERM "$pid"
	wait "$pid"
}

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

		local out="$WORK/footprint-$round.jsonl"
		sink_config first "bench-first-rdc-$RUN_ID-$round" "$topic" "$out" \
			>"$WORK/footprint-$round.toml"
		first_record_rdconnect "$WORK/footprint-$round.toml" "$out" \
			"$WORK/footprint-rdc-$round.log"
		rdc_first+=("$FIRST_SECONDS")
		rdc_rss+=("$IDLE_RSS_KB")
		first_ratios+=("$(divide "$FIRST_SECONDS" "$MEASURED_SECONDS" %.3f)")
		rss_ratios+=("$(divide "$IDLE_RSS_KB" "$MEASURED_RSS_KB" %.3f)")
		progress "footprint round $round: first record ${MEASURED_SECONDS}s vs ${FIRST_SECONDS}s"
	done
	table_row "start → first record" \
		"$(median "${base_first[@]}" | xargs printf '%.3f s')" \
		"$(median "${rdc_first[@]}" | xargs printf '%.3f s')" \
		"$(median "${first_ratios[@]}")" ""
	table_row "idle RSS, one sink task" \
		"$(mib "$(median "${base_rss[@]}")")" "$(mib "$(median "${rdc_rss[@]}")")" \
		"$(median "${rss_ratios[@]}")" ""
}
