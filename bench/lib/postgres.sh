# The postgres_sink row of bench/run.sh (sourced, not run).
# shellcheck shell=bash

psql_bench() { psql "$PG_DSN" -X -q -v ON_ERROR_STOP=1 "$@"; }

# expect_rows TABLE COUNT: fails unless TABLE holds COUNT rows (a fast side
# that loaded less would win for the wrong reason).
expect_rows() {
	local rows
	rows=$(psql_bench -tAc "SELECT count(*) FROM $1")
	if ((rows != $2)); then
		echo "bench: $1 holds $rows rows, not $2" >&2
		return 1
	fi
}

# last_assignment_seconds LOG: seconds from the start of the run measured
# last (MEASURED_START) to the last partition assignment rdconnect logged in
# LOG: when the group settled. With several tasks it shows whether the group
# formed at once (about 0.1 s) or took further rebalances (2 s and more).
last_assignment_seconds() {
	local stamp
	stamp=$(grep -E '^[0-9T:.-]+ info +\[[^]]*#[0-9]+\] assigned ' "$1" | tail -n 1 | cut -d' ' -f1)
	seconds_between "$MEASURED_START" "$(date -d "$stamp" +%s.%N)" | xargs printf '%.2f'
}

# bench_postgres_rows RECORDS MODE TASKS: fills a topic, lets rdconnect write
# it once unmeasured in MODE (insert or upsert; that creates the table whose
# shape both sides then use, and gives the rows psql loads), then alternates
# psql \copy of those rows into a fresh copy of the table with rdconnect,
# TASKS tasks, writing the topic into another. The keys are random UUIDs, so
# upsert also ends with one row per record.
bench_postgres_rows() {
	local records=$1 mode=$2 tasks=$3 round base rdc table
	local topic="bench-postgres-$mode-$tasks-$RUN_ID" id="${mode}_${tasks}_${RUN_ID//-/_}"
	local warm="bench_warm_$id" rows="$WORK/postgres-rows-$id.csv"
	local -a base_rates=() rdc_rates=() ratios=() rdc_rss=() tables=()
	measure "$WORK/fill-$topic.log" "$BENCH_BIN/bench_produce" "$topic" \
		"$records" 100 "$BENCH_PARTITIONS"
	postgres_config "warm-$id" "bench-pg-warm-$id" "$topic" "$warm" "$mode" "$tasks" \
		>"$WORK/pg-warm-$id.toml"
	measure "$WORK/pg-warm-$id.log" "$RDCONNECT" run --until-caught-up "$WORK/pg-warm-$id.toml"
	psql_bench -c "\\copy $warm TO '$rows' WITH (FORMAT csv)"
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		# Both tables exist before the clock starts, with the sink's primary
		# key and columns, so both sides pay the same index upkeep.
		table="bench_copy_${id}_$round"
		psql_bench -c "CREATE TABLE $table (LIKE $warm INCLUDING ALL)"
		tables+=("$table")
		measure "$WORK/pg-base-$id-$round.log" psql "$PG_DSN" -X -q -v ON_ERROR_STOP=1 \
			-c "\\copy $table FROM '$rows' WITH (FORMAT csv)"
		base=$(divide "$records" "$MEASURED_SECONDS")
		expect_rows "$table" "$records"
		base_rates+=("$base")

		table="bench_sink_${id}_$round"
		psql_bench -c "CREATE TABLE $table (LIKE $warm INCLUDING ALL)"
		tables+=("$table")
		# A group of its own, so that the round reads the whole topic (the
		# offsets in rdconnect_offsets are per table already).
		postgres_config "pg-$id-$round" "bench-pg-$id-$round" "$topic" "$table" \
			"$mode" "$tasks" >"$WORK/pg-$id-$round.toml"
		measure "$WORK/pg-rdc-$id-$round.log" "$RDCONNECT" run --until-caught-up \
			"$WORK/pg-$id-$round.toml"
		rdc=$(divide "$records" "$MEASURED_SECONDS")
		expect_rows "$table" "$records"
		rdc_rates+=("$rdc")
		rdc_rss+=("$MEASURED_RSS_KB")
		ratios+=("$(divide "$rdc" "$base" %.3f)")
		progress "postgres $mode $tasks task(s) round $round: psql \\copy $base rec/s, rdconnect $rdc rec/s (last assignment after $(last_assignment_seconds "$WORK/pg-rdc-$id-$round.log") s)"
	done
	# The data dies with the services anyway; until then it only takes disk.
	psql_bench -c "DROP TABLE $warm, $(IFS=,; echo "${tables[*]}")"
	table_row "postgres_sink $mode, $tasks task(s), $(human "$records") × 100 B vs psql \\copy" \
		"$(median "${base_rates[@]}") rec/s" "$(median "${rdc_rates[@]}") rec/s" \
		"$(median "${ratios[@]}")" "$(mib "$(median "${rdc_rss[@]}")")"
}
