#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz and
# runs each for a bounded time:
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]   (default 30 s each, every target)
#
# Each target starts from its seeds in tests/fuzz/corpus/TARGET/ (read only)
# and the inputs earlier runs found, kept in build-fuzz/corpus/TARGET/. A
# crashing input is written to tests/fuzz/crashes/TARGET/; once the bug is
# fixed, move it into tests/fuzz/corpus/TARGET/ as a regression seed.
# Exits 1 when any target crashed, leaked, timed out or ran out of memory.
#
# Environment:
#   BUILD_DIR   build tree (default: build-fuzz)
#   BUILD_TYPE  for the first configure (default Debug, compiled at -O1)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly SECONDS_EACH=${1:-30}
(($# == 0)) || shift
[[ $SECONDS_EACH =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/fuzz.sh [SECONDS] [TARGET...]"
export BUILD_DIR=${BUILD_DIR:-build-fuzz} BUILD_TYPE=${BUILD_TYPE:-Debug}
readonly FUZZ_DIR=$RDCONNECT_ROOT/tests/fuzz

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The targets are the tests/fuzz/fuzz_*.cpp files, one each.
all_targets() {
	local source
	for source in "$FUZZ_DIR"/fuzz_*.cpp; do
		basename -- "$source" .cpp
	done
}

# run_target NAME: fuzzes NAME for SECONDS_EACH; returns libFuzzer's status.
run_target() {
	local name=$1
	local corpus=$BUILD_DIR/corpus/$name crashes=$FUZZ_DIR/crashes/$name
	mkdir -p -- "$corpus" "$crashes"
	info "$name: ${SECONDS_EACH}s"
	# The first corpus directory receives the new inputs; the seeds stay as
	# they are. -timeout: an input taking longer than 10 s is a hang.
	"$BUILD_DIR/fuzz/$name" -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crashes/" "$corpus" "$FUZZ_DIR/corpus/$name" \
		>"$BUILD_DIR/fuzz/$name.log" 2>&1
}

main() {
	local started=$EPOCHSECONDS
	exit_on_signals
	cd -- "$RDCONNECT_ROOT"
	require_cmd clang++ "install clang and libclang-rt-14-dev (apt-get install clang libclang-rt-14-dev)"
	local targets=("$@")
	((${#targets[@]} > 0)) || mapfile -t targets < <(all_targets)

	CC=clang CXX=clang++ CMAKE_ARGS="-DRDCONNECT_FUZZ=ON -DBUILD_TESTING=OFF" \
		"$RDCONNECT_ROOT/scripts/build.sh" --target rdconnect_fuzz
	local built=$EPOCHSECONDS
	info "build: $((built - started))s"

	local name failed=()
	for name in "${targets[@]}"; do
		if run_target "$name"; then
			info "$name: ok ($(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD_DIR/fuzz/$name.log" | grep -o '[0-9]*$') runs)"
		else
			warn "$name FAILED; log: $BUILD_DIR/fuzz/$name.log, input in tests/fuzz/crashes/$name/"
			grep -m1 -A12 '^==[0-9]*==ERROR\|^SUMMARY\|runtime error' "$BUILD_DIR/fuzz/$name.log" >&2 || true
			failed+=("$name")
		fi
	done
	info "fuzzing: $((EPOCHSECONDS - built))s, build $((built - started))s"
	((${#failed[@]} == 0)) || die "crashed: ${failed[*]}"
	info "passed: ${#targets[@]} target(s), ${SECONDS_EACH}s each"
}

main "$@"
