# Timing a sink that stays up, by its output file, for bench/run.sh (sourced,
# not run).
# shellcheck shell=bash

# watch_sink OUT COUNT LOG CMD...: starts CMD (a sink writing OUT that keeps
# running once it has written everything) with its output in LOG, and waits
# with bench_watch_lines until OUT holds COUNT lines. Sets WATCH_START (the
# $EPOCHREALTIME of the start), WATCH_FIRST, WATCH_P10, WATCH_P90 and
# WATCH_LAST (when OUT first held 1, a tenth, nine tenths and all COUNT
# lines), WATCH_P10_LINES and WATCH_P90_LINES (the lines then), and
# WATCH_RSS_KB and WATCH_HWM_KB (VmRSS and VmHWM, the peak RSS, at the
# moment OUT was complete). Then stops CMD with SIGTERM, waits for it, and
# fails unless OUT holds exactly COUNT lines: a side that wrote a record
# twice would not have done the same work.
watch_sink() {
	local out=$1 count=$2 log=$3 pid status=0 lines
	shift 3
	# shellcheck disable=SC2034 # results for the caller, as are the next
	WATCH_START=$EPOCHREALTIME
	"$@" >"$log" 2>&1 &
	pid=$!
	if ! timeout "$BENCH_STEP_TIMEOUT" "$BENCH_BIN/bench_watch_lines" "$out" "$count" \
		"$pid" >"$log.watch" 2>&1; then
		echo "bench: $out did not reach $count lines (log $log): $*" >&2
		cat -- "$log.watch" >&2
		tail -n 20 -- "$log" >&2
		kill -KILL "$pid" 2>/dev/null || true
		return 1
	fi
	# shellcheck disable=SC2034
	WATCH_RSS_KB=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
	# shellcheck disable=SC2034
	WATCH_HWM_KB=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
	local key value
	while IFS='=' read -r key value; do
		printf -v "WATCH_${key^^}" '%s' "$value"
	done <"$log.watch"
	kill -TERM "$pid"
	wait "$pid" || status=$?
	# 143: the JVM's exit on SIGTERM, after its shutdown hooks ran.
	if ((status != 0 && status != 143)); then
		echo "bench: exit status $status after SIGTERM (log $log): $*" >&2
		tail -n 20 -- "$log" >&2
		return 1
	fi
	lines=$(wc -l <"$out")
	if ((lines != count)); then
		echo "bench: $out holds $lines lines, not $count (log $log)" >&2
		return 1
	fi
}
