#!/usr/bin/env bash
# Installs everything needed to build, test and demo rdconnect: the Debian
# packages, librdkafka built from Debian 13's source package, then the Kafka
# broker jars, the Schema Registry and the venv of the Python reference
# clients (all cached outside the repo).
# Idempotent, and silent when everything is already present, so other scripts
# call it unconditionally.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

# What building the host and its plugins needs (--build-deps: all that
# docker/Dockerfile's build stage installs).
readonly BUILD_PACKAGES=(
	build-essential cmake ninja-build pkg-config
	# librdkafka's source (apt-get source runs dpkg-source) and what it links
	dpkg-dev xz-utils libssl-dev libsasl2-dev zlib1g-dev libzstd-dev liblz4-dev
	# libraries
	libboost-dev libboost-filesystem-dev libtomlplusplus-dev
	libspdlog-dev libfmt-dev libcli11-dev
	nlohmann-json3-dev libpqxx-dev libcpp-httplib-dev prometheus-cpp-dev
	# schema-registry records: Avro schemas
	libavro-dev
)
# What the tests, the demo and the tooling add.
readonly DEVELOPMENT_PACKAGES=(
	clang-format googletest libgtest-dev libgmock-dev
	# fuzzing (scripts/fuzz.sh): clang with libFuzzer and its sanitizers
	clang libclang-rt-14-dev
	# services for tests and the demo (python3 picks free ports; python3-venv
	# has the ensurepip that the reference clients' venv needs)
	postgresql-15 openjdk-17-jre-headless maven python3 python3-venv
	# the docker tests (scripts/docker-engine.sh): a private dockerd, the base
	# image by debootstrap, and the compose file's and Prometheus' checkers
	docker.io debootstrap docker-compose prometheus curl
)

usage() {
	cat <<EOF
usage: scripts/bootstrap.sh [--build-deps]

Installs the missing Debian packages (apt-get, via sudo unless root), builds
librdkafka $RDKAFKA_VERSION from Debian's source package into $RDKAFKA_PREFIX
(once; it adds the source-only apt entry $RDKAFKA_APT_SOURCE for that),
fetches the Kafka $KAFKA_VERSION broker jars into $KAFKA_LIBS_DIR and Apicurio
Registry $REGISTRY_VERSION into $REGISTRY_DIST_DIR, and creates the venv
$PYTHON_VENV_DIR of the Python reference clients. The registry needs a
Java 21 or newer, which Debian 12 does not package: scripts/services.sh looks
in /usr/lib/jvm, or takes RDCONNECT_REGISTRY_JAVA.

--build-deps installs only what building the host and its plugins needs
(the packages and librdkafka; no test tools, services, jars or venv), as
docker/Dockerfile's build stage does.
EOF
}

# missing_packages PACKAGE...: prints those that are not fully installed.
missing_packages() {
	local -A installed=()
	local name status
	# One dpkg-query for all packages; it exits non-zero when some are unknown.
	while IFS=$'\t' read -r name status; do
		[[ $status == installed ]] && installed[$name]=1
	done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\n' "$@" 2>/dev/null || true)

	local pkg
	for pkg in "$@"; do
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

# ensure_debian_packages PACKAGE...
ensure_debian_packages() {
	require_cmd dpkg-query "bootstrap.sh supports Debian-based systems only"
	local missing
	mapfile -t missing < <(missing_packages "$@")
	((${#missing[@]} == 0)) && return 0

	info "installing Debian packages: ${missing[*]}"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ---------------------------------------------------------------------------
# librdkafka from Debian 13's source package

# Source-only: apt-get source reads it, and no package is ever installed from
# trixie (its binaries need a newer libc than Debian 12's).
readonly RDKAFKA_APT_SOURCE=/etc/apt/sources.list.d/rdconnect-trixie-src.list
readonly RDKAFKA_STAMP=$RDKAFKA_PREFIX/rdconnect-build.stamp
# Everything rdconnect may use, each required (a missing library fails configure
# instead of silently building without it). Not libcurl: it only serves OIDC
# token fetching, which rdconnect does not offer.
readonly RDKAFKA_CONFIGURE_ARGS=(
	--enable-ssl --enable-gssapi --enable-zlib --enable-zstd --enable-lz4-ext
	--disable-curl
)

# The stamp records what was built; it is written only after a complete install.
rdkafka_build_id() {
	printf '%s %s\n' "$RDKAFKA_DEB_VERSION" "${RDKAFKA_CONFIGURE_ARGS[*]}"
}

rdkafka_ready() {
	[[ -f $RDKAFKA_STAMP && $(<"$RDKAFKA_STAMP") == "$(rdkafka_build_id)" ]] &&
		grep -qx "Version: $RDKAFKA_VERSION" "$RDKAFKA_PREFIX/lib/pkgconfig/rdkafka.pc" 2>/dev/null
}

ensure_trixie_source_entry() {
	local entry
	entry="deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(debian_mirror) trixie main"
	if [[ ! -f $RDKAFKA_APT_SOURCE || $(<"$RDKAFKA_APT_SOURCE") != *"$entry"* ]]; then
		info "adding the source-only apt entry $RDKAFKA_APT_SOURCE: $entry"
		printf '# rdconnect: source packages only (librdkafka), never binaries\n%s\n' "$entry" |
			as_root tee -- "$RDKAFKA_APT_SOURCE" >/dev/null
	fi
	local sources
	sources=$(apt-cache showsrc librdkafka 2>/dev/null || true)
	if ! grep -qx "Version: $RDKAFKA_DEB_VERSION" <<<"$sources"; then
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	fi
}

# rdkafka_step LOG WHAT COMMAND...: runs COMMAND with its output in LOG, and on
# failure shows the end of LOG and says how to retry.
rdkafka_step() {
	local log=$1 what=$2
	shift 2
	if ! "$@" >>"$log" 2>&1; then
		tail -n 40 -- "$log" >&2
		die "librdkafka $RDKAFKA_DEB_VERSION: $what failed (end of the log above, all of it in $log); fix the cause and re-run scripts/bootstrap.sh, which starts the fetch and build over"
	fi
}

build_rdkafka() {
	local work=$RDCONNECT_CACHE_DIR/librdkafka-$RDKAFKA_VERSION.build
	local log=$RDCONNECT_CACHE_DIR/librdkafka-$RDKAFKA_VERSION.log
	local started=$EPOCHSECONDS
	info "building librdkafka $RDKAFKA_VERSION from Debian's source package $RDKAFKA_DEB_VERSION into $RDKAFKA_PREFIX (once; a few minutes)"
	rm -rf -- "$work" "$RDKAFKA_STAMP"
	mkdir -p -- "$work"
	: >"$log"
	ensure_trixie_source_entry
	# Root's downloads cannot be sandboxed as _apt in a root-owned directory.
	rdkafka_step "$log" "fetching the source (apt-get source librdkafka=$RDKAFKA_DEB_VERSION)" \
		env -C "$work" apt-get source -q -o APT::Sandbox::User=root "librdkafka=$RDKAFKA_DEB_VERSION"
	local src=$work/librdkafka-$RDKAFKA_VERSION
	[[ -x $src/configure ]] || die "librdkafka: apt-get source left no $src/configure (log: $log); re-run scripts/bootstrap.sh"
	rdkafka_step "$log" "configure" \
		env -C "$src" ./configure --prefix="$RDKAFKA_PREFIX" "${RDKAFKA_CONFIGURE_ARGS[@]}"
	# Only the C library (src/), which is all rdconnect links.
	rdkafka_step "$log" "the build" make -C "$src" -j2 LIBSUBDIRS=src libs
	rm -rf -- "$RDKAFKA_PREFIX"
	rdkafka_step "$log" "the install" make -C "$src" LIBSUBDIRS=src install-subdirs
	rdkafka_build_id >"$RDKAFKA_STAMP"
	rm -rf -- "$work"
	info "librdkafka $RDKAFKA_VERSION built in $((EPOCHSECONDS - started))s (log: $log)"
}

# ensure_rdkafka: builds librdkafka unless this exact build is in the cache.
ensure_rdkafka() {
	rdkafka_ready && return 0
	mkdir -p -- "$RDCONNECT_CACHE_DIR"
	# Serialise concurrent callers, as for the Kafka jars.
	local lock_fd
	exec {lock_fd}>"$RDCONNECT_CACHE_DIR/.librdkafka-$RDKAFKA_VERSION.lock"
	flock "$lock_fd"
	rdkafka_ready || build_rdkafka
	exec {lock_fd}>&-
}

main() {
	case ${1:-} in
	-h | --help)
		usage
		return 0
		;;
	--build-deps)
		ensure_debian_packages "${BUILD_PACKAGES[@]}"
		ensure_rdkafka
		return 0
		;;
	"") ;;
	*)
		usage >&2
		die "unexpected argument: $1"
		;;
	esac
	ensure_debian_packages "${BUILD_PACKAGES[@]}" "${DEVELOPMENT_PACKAGES[@]}"
	ensure_rdkafka
	ensure_kafka_jars
	ensure_registry
	ensure_python_venv
}

main "$@"
