#!/usr/bin/env bash
# Builds rdconnect, starts the services the tests need, runs every tier of
# tests, and stops the services again:
#   main   ctest on the normal build (unit, integration and fault tests)
#   asan   the unit and integration tiers under ASan, LSan and UBSan
#   tsan   the unit tier under TSan
#   fuzz   every libFuzzer target for RDCONNECT_FUZZ_SECONDS each
# Extra arguments go to the main tier's ctest and run that tier alone, e.g.
# `scripts/test.sh -L unit` (tests are labelled unit, integration, fault and
# docker).
#
# Environment:
#   BUILD_DIR                build tree of the main tier (default: build), as
#                            for scripts/build.sh
#   RDCONNECT_TEST_TIERS     the tiers to run (default: "main asan tsan fuzz")
#   RDCONNECT_FUZZ_SECONDS   how long each fuzz target runs (default: 20)
#   RDCONNECT_TEST_BROKERS   Kafka brokers to start (default: 3, which the fault
#                            tests need; the running cluster's size when
#                            services are already up)
#   RDCONNECT_KEEP_SERVICES  set to 1 to leave the services running afterwards
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly BUILD_DIR=${BUILD_DIR:-build}

# run_tier NAME COMMAND...: runs one tier, noting its time and outcome.
run_tier() {
	local name=$1 tier_started=$EPOCHSECONDS tier_rc=0
	shift
	info "tier $name: starting"
	"$@" || tier_rc=$?
	info "tier $name: exit code $tier_rc, $((EPOCHSECONDS - tier_started))s"
	summary+=("$name=$tier_rc")
	((tier_rc == 0)) || rc=1
}

main() {
	local started=$EPOCHSECONDS
	exit_on_signals
	cd -- "$RDCONNECT_ROOT"
	local tiers=${RDCONNECT_TEST_TIERS:-main asan tsan fuzz}
	(($# == 0)) || tiers=main
	"$RDCONNECT_ROOT/scripts/build.sh"

	# Armed before `up` so that a failed start is cleaned up too.
	trap stop_services EXIT
	start_services

	rc=0
	summary=()
	local tier
	for tier in $tiers; do
		case $tier in
		# --no-tests=error: a run that finds no test must not pass as green.
		main) run_tier main ctest --test-dir "$BUILD_DIR" --output-on-failure \
			--no-tests=error -j2 "$@" ;;
		# The other tiers reuse the services started above and have build
		# trees of their own.
		asan) run_tier asan env -u BUILD_DIR "$RDCONNECT_ROOT/scripts/sanitize.sh" address,undefined ;;
		tsan) run_tier tsan env -u BUILD_DIR "$RDCONNECT_ROOT/scripts/sanitize.sh" thread ;;
		fuzz) run_tier fuzz env -u BUILD_DIR "$RDCONNECT_ROOT/scripts/fuzz.sh" \
			"${RDCONNECT_FUZZ_SECONDS:-20}" ;;
		*) die "unknown tier '$tier' in RDCONNECT_TEST_TIERS (main, asan, tsan, fuzz)" ;;
		esac
	done

	trap - EXIT
	if ! stop_services; then
		warn "could not stop the services"
		rc=1
	fi
	local verdict=passed
	((rc == 0)) || verdict=FAILED
	info "$verdict: ${summary[*]} (exit codes), ${KAFKA_BROKERS} Kafka broker(s), $((EPOCHSECONDS - started))s in all"
	exit "$rc"
}

main "$@"
