#!/usr/bin/env bash
# Shows rdconnect end to end: builds it, starts Kafka, runs the uuid-to-log
# pipeline until it has caught up, and shows what it wrote to demo-output/.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly BUILD_DIR=${BUILD_DIR:-build}
readonly SERVICES=$RDCONNECT_ROOT/scripts/services.sh
readonly DEMO_CONFIG=configs/uuid-to-log.toml
readonly DEMO_OUT=$RDCONNECT_ROOT/demo-output
# Where configs/uuid-to-log.toml writes, via ${env:RDCONNECT_DEMO_OUT}.
readonly DEMO_LOG=$DEMO_OUT/uuid-log.jsonl

usage() {
	cat <<EOF
usage: scripts/demo.sh [--keep-services]

  --keep-services   leave Kafka running afterwards (stop it: scripts/services.sh down)

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

run_pipeline() {
	local rdconnect=$BUILD_DIR/bin/rdconnect
	[[ -x $rdconnect ]] || die "$rdconnect was not built; see the output of scripts/build.sh"
	[[ -f $DEMO_CONFIG ]] || die "$DEMO_CONFIG is missing"
	mkdir -p -- "$DEMO_OUT"
	# The sink may append: start from an empty log so the report shows this run only.
	rm -f -- "$DEMO_LOG"
	export RDCONNECT_DEMO_OUT=$DEMO_OUT
	info "running: $rdconnect run $DEMO_CONFIG --until-caught-up"
	"$rdconnect" run "$DEMO_CONFIG" --until-caught-up
}

report() {
	if [[ ! -f $DEMO_LOG ]]; then
		ls -la -- "$DEMO_OUT" >&2
		die "the demo wrote no $DEMO_LOG (contents of $DEMO_OUT above)"
	fi
	local lines
	lines=$(wc -l <"$DEMO_LOG")
	echo
	echo "demo log: $DEMO_LOG ($lines lines); the first 3:"
	head -n 3 -- "$DEMO_LOG"
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

	run_pipeline
	report

	if ((keep_services == 1)); then
		info "services still up (KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP); stop them with scripts/services.sh down"
	fi
}

main "$@"
