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

# bench_postgres_rows RECORDS: fills a topic, lets rdconnect insert it once
# unmeasured (that creates the table whose shape both sides then use, and
# gives the rows psql loads), then alternates psql \copy of those rows into a
# fresh copy of the table with rdconnect inserting the topic into another.
bench_postgres_rows() {
	local records=$1 topic="bench-postgres-$RUN_ID" round base rdc table
	local warm="bench_warm_${RUN_ID//-/_}" rows="$WORK/postgres-rows.csv"
	local -a base_rates=() rdc_rates=() ratios=() rdc_rss=() tables=()
	measure "$WORK/fill-$topic.log" "$BENCH_BIN/bench_produce" "$topic" \
		"$records" 100 "$BENCH_PARTITIONS"
	postgres_config "warm-$RUN_ID" "bench-pg-warm-$RUN_ID" "$topic" "$warm" >"$WORK/pg-warm.toml"
	measure "$WORK/pg-warm.log" "$RDCONNECT" run --until-caught-up "$WORK/pg-warm.toml"
	psql_bench -c "\\copy $warm TO '$rows' WITH (FORMAT csv)"
	for ((round = 1; round <= BENCH_ROUNDS; round++)); do
		# Both tables exist before the clock starts, with the sink's primary
		# key and columns, so both sides pay the same index upkeep.
		table="bench_copy_${RUN_ID//-/_}_$round"
		psql_bench -c "CREATE TABLE $table (LIKE $warm INCLUDING ALL)"
		tables+=("$table")
		measure "$WORK/pg-base-$round.log" psql "$PG_DSN" -X -q -v ON_ERROR_STOP=1 \
			-c "\\copy $table FROM '$rows' WITH (FORMAT csv)"
		base=$(divide "$records" "$MEASURED_SECONDS")
		expect_rows "$table" "$records"
		base_rates+=("$base")

		table="bench_sink_${RUN_ID//-/_}_$round"
		psql_bench -c "CREATE TABLE $table (LIKE $warm INCLUDING ALL)"
		tables+=("$table")
		# A connector name of its own too: postgres_sink keeps its offsets by
		# connector name in rdconnect_offsets, beside the group's.
		postgres_config "pg-$RUN_ID-$round" "bench-pg-$RUN_ID-$round" "$topic" "$table" \
			>"$WORK/pg-$round.toml"
		measure "$WORK/pg-rdc-$round.log" "$RDCONNECT" run --until-caught-up \
			"$WORK/pg-$round.toml"
		rdc=$(divide "$records" "$MEASURED_SECONDS")
		expect_rows "$table" "$records"
		rdc_rates+=("$rdc")
		rdc_rss+=("$MEASURED_RSS_KB")
		ratios+=("$(divide "$rdc" "$base" %.3f)")
		progress "postgres round $round: psql \\copy $base rec/s, rdconnect $rdc rec/s"
	done
	# The data dies with the services anyway; until then it only takes disk.
	psql_bench -c "DROP TABLE $warm, $(IFS=,; echo "${tables[*]}")"
	table_row "postgres_sink insert $(human "$records") × 100 B vs psql \\copy" \
		"$(median "${base_rates[@]}") rec/s" "$(median "${rdc_rates[@]}") rec/s" \
		"$(median "${ratios[@]}")" "$(mib "$(median "${rdc_rss[@]}")")"
}
