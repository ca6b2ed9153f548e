#!/usr/bin/env bash
# Builds rdconnect, starts the services the tests need, runs ctest, and stops
# the services again. Extra arguments go to ctest, e.g. `scripts/test.sh -L unit`
# (tests are labelled unit, integration and fault).
#
# Environment:
#   BUILD_DIR                build tree (default: build), as for scripts/build.sh
#   RDCONNECT_TEST_BROKERS   Kafka brokers to start (default: 3, which the fault
#                            tests need; the running cluster's size when
#                            services are already up)
#   RDCONNECT_KEEP_SERVICES  set to 1 to leave the services running afterwards
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly BUILD_DIR=${BUILD_DIR:-build}

main() {
	local started=$EPOCHSECONDS
	exit_on_signals
	cd -- "$RDCONNECT_ROOT"
	"$RDCONNECT_ROOT/scripts/build.sh"

	# Armed before `up` so that a failed start is cleaned up too.
	trap stop_services EXIT
	start_services

	local rc=0
	# --no-tests=error: a run that finds no test must not pass as green.
	ctest --test-dir "$BUILD_DIR" --output-on-failure --no-tests=error -j2 "$@" || rc=$?

	trap - EXIT
	if ! stop_services; then
		warn "could not stop the services"
		((rc != 0)) || rc=1
	fi
	local verdict=passed
	((rc == 0)) || verdict=FAILED
	info "$verdict: ctest exit code $rc, ${KAFKA_BROKERS} Kafka broker(s), $((EPOCHSECONDS - started))s in all"
	exit "$rc"
}

main "$@"
