#!/usr/bin/env bash
# Installs everything needed to build, test and demo rdconnect: the Debian
# packages, then the Kafka broker jars (cached outside the repo).
# Idempotent, and silent when everything is already present, so other scripts
# call it unconditionally.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

readonly DEBIAN_PACKAGES=(
	# build
	build-essential cmake ninja-build pkg-config clang-format
	# fuzzing (scripts/fuzz.sh): clang with libFuzzer and its sanitizers
	clang libclang-rt-14-dev
	# libraries
	librdkafka-dev libboost-dev libboost-filesystem-dev libtomlplusplus-dev
	libspdlog-dev libfmt-dev googletest libgtest-dev libgmock-dev libcli11-dev
	nlohmann-json3-dev libpqxx-dev
	# services for tests and the demo (python3 picks free ports)
	postgresql-15 openjdk-17-jre-headless maven python3
)

usage() {
	cat <<EOF
usage: scripts/bootstrap.sh

Installs the missing Debian packages (apt-get, via sudo unless root) and
fetches the Kafka $KAFKA_VERSION broker jars into $KAFKA_LIBS_DIR.
EOF
}

# Prints the packages from DEBIAN_PACKAGES that are not fully installed.
missing_packages() {
	local -A installed=()
	local name status
	# One dpkg-query for all packages; it exits non-zero when some are unknown.
	while IFS=$'\t' read -r name status; do
		[[ $status == installed ]] && installed[$name]=1
	done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\n' "${DEBIAN_PACKAGES[@]}" 2>/dev/null || true)

	local pkg
	for pkg in "${DEBIAN_PACKAGES[@]}"; do
		[[ -n ${installed[$pkg]:-} ]] || printf '%s\n' "$pkg"
	done
}

as_root() {
	if ((EUID == 0)); then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run '$*'; run as root or install sudo"
	fi
}

ensure_debian_packages() {
	require_cmd dpkg-query "bootstrap.sh supports Debian-based systems only"
	local missing
	mapfile -t missing < <(missing_packages)
	((${#missing[@]} == 0)) && return 0

	info "installing Debian packages: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

main() {
	case ${1:-} in
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
	ensure_debian_packages
	ensure_kafka_jars
}

main "$@"
