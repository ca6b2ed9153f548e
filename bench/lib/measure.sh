# Timing, peak RSS and medians for bench/run.sh (sourced, not run).
# shellcheck shell=bash

# Seconds a single measured step may take before the bench gives up on it:
# a hung client must fail the bench, not stall it past its 10 minutes.
readonly BENCH_STEP_TIMEOUT=${BENCH_STEP_TIMEOUT:-120}

# measure LOG CMD...: runs CMD with its output in LOG and sets MEASURED_START
# (its $EPOCHREALTIME), MEASURED_SECONDS (wall time, from bash's microsecond
# clock) and MEASURED_RSS_KB (peak RSS of CMD, ru_maxrss as /usr/bin/time
# reports it). Fails when CMD does.
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
	MEASURED_START=$start
	# shellcheck disable=SC2034
	MEASURED_SECONDS=$(seconds_between "$start" "$end")
	# The last line: a failing command would put a status line before it.
	# shellcheck disable=SC2034
	MEASURED_RSS_KB=$(tail -n 1 "$log.rss")
}

# seconds_between START END: END - START, both $EPOCHREALTIME readings.
seconds_between() {
	awk -v s="$1" -v e="$2" 'BEGIN { printf "%.6f", e - s }'
}

# throughput_row SCENARIO: the table row of interleaved throughput rounds,
# from the arrays base_rates, rdc_rates, ratios, base_rss and rdc_rss of the
# calling function (bash's dynamic scope).
# shellcheck disable=SC2154 # the arrays are the caller's
throughput_row() {
	table_row "$1" \
		"$(median "${base_rates[@]}") rec/s" "$(median "${rdc_rates[@]}") rec/s" \
		"$(median "${ratios[@]}")" \
		"$(mib "$(median "${rdc_rss[@]}")") (baseline $(mib "$(median "${base_rss[@]}")"))"
}

# seconds_row SCENARIO BASE RDC RATIOS: a row of the medians of the arrays
# named BASE and RDC (times in seconds) and RATIOS.
seconds_row() {
	local -n row_base=$2 row_rdc=$3 row_ratios=$4
	table_row "$1" "$(median "${row_base[@]}" | xargs printf '%.3f s')" \
		"$(median "${row_rdc[@]}" | xargs printf '%.3f s')" \
		"$(median "${row_ratios[@]}")" ""
}

# rss_row SCENARIO BASE RDC RATIOS: the same for arrays of RSS in KiB.
rss_row() {
	local -n row_base=$2 row_rdc=$3 row_ratios=$4
	table_row "$1" "$(mib "$(median "${row_base[@]}")")" \
		"$(mib "$(median "${row_rdc[@]}")")" "$(median "${row_ratios[@]}")" ""
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
