# Timing, peak RSS and medians for bench/run.sh (sourced, not run).
# shellcheck shell=bash

# Seconds a single measured step may take before the bench gives up on it:
# a hung client must fail the bench, not stall it past its 10 minutes.
readonly BENCH_STEP_TIMEOUT=${BENCH_STEP_TIMEOUT:-120}

# measure LOG CMD...: runs CMD with its output in LOG and sets MEASURED_SECONDS
# (wall time, from bash's microsecond clock) and MEASURED_RSS_KB (peak RSS of
# CMD, ru_maxrss as /usr/bin/time reports it). Fails when CMD does.
measure() {
	local log=$1 start end
	shift
	start=$EPOCHREALTIME
	if ! timeout "$BENCH_STEP_TIMEOUT" /usr/bin/time -f '%M' -o "$log.rss" \
		"$@" >"$log" 2>&1; then
		echo "bench: failed (log $log): $*" >&2
		tail -n 20 "$log" >&2
		return 1
	fi
	end=$EPOCHREALTIME
	# shellcheck disable=SC2034 # results for the caller, as are the next
	MEASURED_SECONDS=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", e - s }')
	# The last line: a failing command would put a status line before it.
	# shellcheck disable=SC2034
	MEASURED_RSS_KB=$(tail -n 1 "$log.rss")
}

# median VALUE...: the median of the numbers given.
median() {
	printf '%s\n' "$@" | sort -g | awk '
		{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# divide A B [FORMAT]: A / B, formatted.
divide() {
	awk -v a="$1" -v b="$2" -v f="${3:-%.0f}" 'BEGIN { printf f, a / b }'
}
