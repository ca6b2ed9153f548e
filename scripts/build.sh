#!/usr/bin/env bash
# Builds rdconnect: installs what is missing (quietly), configures once, builds.
# Extra arguments go to `cmake --build`, e.g. `scripts/build.sh --target rdconnect`.
#
# Environment:
#   BUILD_DIR   build tree, relative to the repo root or absolute (default: build)
#   BUILD_TYPE  CMAKE_BUILD_TYPE for the first configure (default: RelWithDebInfo);
#               an existing tree keeps its type: delete it or use another BUILD_DIR
#   CMAKE_ARGS  extra arguments for that first configure, split on spaces, e.g.
#               "-DRDCONNECT_SANITIZE=address,undefined"; the same caveat applies
#   BOOTSTRAP   arguments for scripts/bootstrap.sh, split on spaces (default
#               none: everything; docker/Dockerfile passes --build-deps)
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly BUILD_DIR=${BUILD_DIR:-build}
readonly BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
read -r -a CMAKE_EXTRA_ARGS <<<"${CMAKE_ARGS:-}"
readonly CMAKE_EXTRA_ARGS
read -r -a BOOTSTRAP_ARGS <<<"${BOOTSTRAP:-}"
readonly BOOTSTRAP_ARGS

main() {
	"$RDCONNECT_ROOT/scripts/bootstrap.sh" "${BOOTSTRAP_ARGS[@]}"
	cd -- "$RDCONNECT_ROOT"
	# Re-running CMake's configure step on every build would only cost time:
	# `cmake --build` re-configures by itself when a CMakeLists.txt changes.
	# A tree whose first configure failed has a cache but no build.ninja.
	if [[ ! -f $BUILD_DIR/build.ninja ]]; then
		cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" \
			-DRDCONNECT_RDKAFKA_PREFIX="$RDKAFKA_PREFIX" "${CMAKE_EXTRA_ARGS[@]}"
	fi
	cmake --build "$BUILD_DIR" -j2 "$@"
}

main "$@"
