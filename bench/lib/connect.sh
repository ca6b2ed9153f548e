# The Kafka Connect rows of bench/run.sh (sourced, not run): log_sink writing
# a topic to a file against Kafka Connect's FileStreamSinkConnector doing the
# same, each a long-running process timed by its output file (watch.sh).
# shellcheck shell=bash

# The JVM options Kafka's bin/connect-standalone.sh (heap) and
# kafka-run-class.sh (the rest) start the worker with.
readonly -a CONNECT_JVM_OPTS=(
	-Xms256M -Xmx2G
	-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
	-XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true
)

# connect_round ROUND TOPIC RECORDS: one run of a fresh standalone worker
# (fresh connector name, so a fresh group, offsets file and output file).
connect_round() {
	local round=$1 topic=$2 records=$3 dir="$WORK/connect-$1"
	mkdir -p -- "$dir"
	connect_worker_config "$dir/offsets" >"$dir/worker.properties"
	file_sink_config "bench-connect-$RUN_ID-$round" "$topic" "$dir/out.txt" \
		>"$dir/sink.properties"
	connect_log4j_config "$dir/connect.log" >"$dir/log4j2.properties"
	watch_sink "$dir/out.txt" "$records" "$dir/console.log" \
		java "${CONNECT_JVM_OPTS[@]}" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
		-cp "$CONNECT_CLASSPATH" org.apache.kafka.connect.cli.ConnectStandalone \
		"$dir/worker.properties" "$dir/sink.properties"
}

# rdconnect_round ROUND TOPIC RECORDS: `rdconnect run` (no --until-caught-up:
# it stays up, as the worker does) with one log_sink task writing text lines,
# everything else at the host's defaults.
rdconnect_round() {
	local round=$1 topic=$2 records=$3 dir="$WORK/connect-rdc-$1"
	mkdir -p -- "$dir"
	sink_config connect "bench-connect-rdc-$RUN_ID-$round" "$topic" "$dir/out.txt" text \
		>"$dir/sink.toml"
	watch_sink "$dir/out.txt" "$records" "$dir/rdconnect.log" \
		"$RDCONNECT" run "$dir/sink.toml"
}

# steady_rate: records/s of the watched run between a tenth and nine tenths
# of its lines, which leaves out start-up and the last flush.
steady_rate() {
	divide "$((WATCH_P90_LINES - WATCH_P10_LINES))" \
		"$(seconds_between "$WATCH_P10" "$WATCH_P90")"
}

# bench_connect_rows RECORDS: with CONNECT_CLASSPATH set by
# ensure_connect_jars, fills one topic (100 B values), then
# interleaved rounds of the Connect worker and of rdconnect writing it to a
# file: steady throughput, process start to the last line, and peak RSS.
bench_connect_rows() {
	local records=$1 topic="bench-connect-$RUN_ID" round
	local -a base_rates=() rdc_rates=() rate_ratios=() base_last=() rdc_last=()
	local -a last_ratios=() base_rss=() rdc_rss=() rss_ratios=()
	local base_rate base_seconds base_first base_hwm rdc_rate rdc_seconds rdc_first
	measure "$WORK/fill-$topic.log" "$BENCH_BIN/bench_produce" "$topic" \
		"$records" 100 "$BENCH_PARTITIONS"
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		connect_round "$round" "$topic" "$records"
		base_rate=$(steady_rate)
		base_seconds=$(seconds_between "$WATCH_START" "$WATCH_LAST")
		base_first=$(seconds_between "$WATCH_START" "$WATCH_FIRST")
		base_hwm=$WATCH_HWM_KB
		base_rates+=("$base_rate")
		base_last+=("$base_seconds")
		base_rss+=("$base_hwm")

		rdconnect_round "$round" "$topic" "$records"
		rdc_rate=$(steady_rate)
		rdc_seconds=$(seconds_between "$WATCH_START" "$WATCH_LAST")
		rdc_first=$(seconds_between "$WATCH_START" "$WATCH_FIRST")
		rdc_rates+=("$rdc_rate")
		rdc_last+=("$rdc_seconds")
		rdc_rss+=("$WATCH_HWM_KB")
		rate_ratios+=("$(divide "$rdc_rate" "$base_rate" %.3f)")
		last_ratios+=("$(divide "$rdc_seconds" "$base_seconds" %.3f)")
		rss_ratios+=("$(divide "$WATCH_HWM_KB" "$base_hwm" %.3f)")
		# The first line's time is not a row: it only tells start-up from
		# throughput in the start → last record row.
		progress "connect round $round: Connect $base_rate rec/s, first line" \
			"${base_first}s, last ${base_seconds}s, $(mib "$base_hwm"); rdconnect" \
			"$rdc_rate rec/s, first line ${rdc_first}s, last ${rdc_seconds}s, $(mib "$WATCH_HWM_KB")"
	done
	local scenario
	scenario="log_sink vs Connect FileStreamSink, $(human "$records") × 100 B"
	table_row "$scenario: steady throughput" \
		"$(median "${base_rates[@]}") rec/s" "$(median "${rdc_rates[@]}") rec/s" \
		"$(median "${rate_ratios[@]}")" ""
	seconds_row "$scenario: start → last record" base_last rdc_last last_ratios
	rss_row "$scenario: peak RSS" base_rss rdc_rss rss_ratios
}
