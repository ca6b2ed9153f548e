#!/usr/bin/env bash
# Shows rdconnect end to end: builds it, starts Kafka, runs the uuid-to-log
# pipeline until it has caught up, and shows what it wrote to demo-output/.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly BUILD_DIR=${BUILD_DIR:-build}
readonly SERVICES=$RDCONNECT_ROOT/scripts/services.sh
readonly DEMO_OUT=$RDCONNECT_ROOT/demo-output
# Where the configs' log sinks write, via ${env:RDCONNECT_DEMO_OUT}.
readonly LOG_DEMO_CONFIG=configs/uuid-to-log.toml
readonly LOG_DEMO_LOG=$DEMO_OUT/uuid-log.jsonl
readonly PG_DEMO_CONFIG=configs/uuid-to-postgres.toml
readonly PG_DEMO_LOG=$DEMO_OUT/users-log.jsonl

usage() {
	cat <<EOF
usage: scripts/demo.sh [--keep-services]

Runs two connector configs until they have caught up:
  $LOG_DEMO_CONFIG       UUID records -> Kafka -> a JSON-lines log
  $PG_DEMO_CONFIG  UUID records -> compacted topic -> PostgreSQL (+ a log)

  --keep-services   leave Kafka and PostgreSQL running afterwards
                    (stop them: scripts/services.sh down)

Services that were already up before the demo are always left running.
EOF
}

stop_services() {
	"$SERVICES" down
}

export_service_env() {
	local env_text
	env_text=$("$SERVICES" env)
	set -a
	eval "$env_text"
	set +a
}

# run_pipeline CONFIG LOG: runs CONFIG to completion, starting LOG afresh so
# that the report shows this run only.
run_pipeline() {
	local config=$1 log=$2
	local rdconnect=$BUILD_DIR/bin/rdconnect
	[[ -x $rdconnect ]] || die "$rdconnect was not built; see the output of scripts/build.sh"
	[[ -f $config ]] || die "$config is missing"
	mkdir -p -- "$DEMO_OUT"
	rm -f -- "$log"
	export RDCONNECT_DEMO_OUT=$DEMO_OUT
	info "running: $rdconnect run $config --until-caught-up"
	"$rdconnect" run "$config" --until-caught-up
}

report_log() {
	local log=$1
	if [[ ! -f $log ]]; then
		ls -la -- "$DEMO_OUT" >&2
		die "the demo wrote no $log (contents of $DEMO_OUT above)"
	fi
	local lines
	lines=$(wc -l <"$log")
	echo
	echo "log: $log ($lines lines); the first 3:"
	head -n 3 -- "$log"
}

report_table() {
	local psql=$PG_BIN_DIR/psql rows
	rows=$("$psql" "$PG_DSN" -Atc 'SELECT count(*) FROM public.users')
	echo
	echo "PostgreSQL table public.users: $rows rows (the latest value of every key not deleted); a sample:"
	"$psql" "$PG_DSN" -c 'SELECT key, value, kafka_partition, kafka_offset FROM public.users ORDER BY kafka_offset DESC LIMIT 3'
}

main() {
	local keep_services=0
	case ${1:-} in
	--keep-services) keep_services=1 ;;
	-h | --help)
		usage
		return 0
		;;
	"") ;;
	*)
		usage >&2
		die "unexpected argument: $1"
		;;
	esac
	exit_on_signals
	cd -- "$RDCONNECT_ROOT"
	"$RDCONNECT_ROOT/scripts/build.sh"

	if "$SERVICES" status >/dev/null 2>&1; then
		info "using the services that are already up; they stay up"
		keep_services=1
	elif ((keep_services == 0)); then
		# Armed before `up` so that a failed start is cleaned up too.
		trap stop_services EXIT
	fi
	"$SERVICES" up >/dev/null
	export_service_env

	run_pipeline "$LOG_DEMO_CONFIG" "$LOG_DEMO_LOG"
	report_log "$LOG_DEMO_LOG"
	run_pipeline "$PG_DEMO_CONFIG" "$PG_DEMO_LOG"
	report_log "$PG_DEMO_LOG"
	report_table

	if ((keep_services == 1)); then
		info "services still up (KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP); stop them with scripts/services.sh down"
	fi
}

main "$@"
