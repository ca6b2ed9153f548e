# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Sourced, never run.
#
# Defines:
#   RDCONNECT_ROOT       absolute path of the repository
#   KAFKA_VERSION        read from scripts/kafka/pom.xml, the one place it is pinned
#   KAFKA_LIBS_DIR       cached broker jars; KAFKA_CLASSPATH is the java -cp for them
#   PG_BIN_DIR           PostgreSQL 15's programs (initdb, pg_ctl, psql, ...)
#   RDKAFKA_VERSION      the librdkafka built from Debian's source package;
#   RDKAFKA_DEB_VERSION  RDKAFKA_PREFIX is where scripts/bootstrap.sh installs it
#   REGISTRY_JAR         the cached Schema Registry (Apicurio REGISTRY_VERSION)
#   PYTHON_VENV_PYTHON   the cached venv's python with the reference serializers
#   info/warn/die, exit_on_signals, require_cmd, wait_until, debian_mirror,
#   pick_free_ports, join_by, port_open,
#   ensure_kafka_jars, ensure_registry, ensure_python_venv,
#   start_services, stop_services, reuse_or_start_services,
#   stop_services_started_here

[[ -n ${_RDCONNECT_COMMON_SH:-} ]] && return 0
readonly _RDCONNECT_COMMON_SH=1

RDCONNECT_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
readonly RDCONNECT_ROOT
RDCONNECT_SCRIPT_NAME=$(basename -- "$0")
readonly RDCONNECT_SCRIPT_NAME

# Messages go to stderr so that stdout stays clean for data such as `services.sh env`.
info() { printf '%s: %s\n' "$RDCONNECT_SCRIPT_NAME" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$RDCONNECT_SCRIPT_NAME" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "$RDCONNECT_SCRIPT_NAME" "$*" >&2
	exit 1
}

# Bash skips EXIT traps when a signal kills it; turning the usual signals into
# an exit makes cleanup traps run on Ctrl-C, hang-up and kill too.
exit_on_signals() {
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# require_cmd CMD HINT
require_cmd() {
	command -v "$1" >/dev/null 2>&1 || die "'$1' not found; $2"
}

# wait_until TIMEOUT_S DESCRIPTION COMMAND...
# Polls COMMAND until it succeeds. Returns 1 (after saying what it waited for)
# once TIMEOUT_S seconds have passed, so the caller can add diagnostics.
# COMMAND runs in this shell, so it may call die to give up early.
wait_until() {
	local timeout_s=$1 description=$2
	shift 2
	local deadline=$((EPOCHSECONDS + timeout_s))
	until "$@"; do
		if ((EPOCHSECONDS >= deadline)); then
			warn "timed out after ${timeout_s}s waiting for ${description}"
			return 1
		fi
		sleep 0.2
	done
}

# The machine's Debian mirror, as its bookworm entries name it.
debian_mirror() {
	local uri=
	if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
		uri=$(awk '$1 == "URIs:" { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [[ -z $uri && -r /etc/apt/sources.list ]]; then
		uri=$(awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\// && $i !~ /security/) { print $i; exit } }' \
			/etc/apt/sources.list)
	fi
	printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# pick_free_ports COUNT: prints COUNT distinct ports that were free just now.
# All sockets are held open until every port is chosen, so none repeats.
pick_free_ports() {
	python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

# join_by SEPARATOR WORD...: prints the words joined by SEPARATOR (one character).
join_by() {
	local IFS=$1
	shift
	printf '%s' "$*"
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
	(: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------------------
# PostgreSQL

# Debian's postgresql-15 keeps initdb, pg_ctl and postgres off PATH, and its
# psql on PATH is a wrapper that picks a version: call this directory's programs.
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly PG_BIN_DIR=${RDCONNECT_PG_BIN:-/usr/lib/postgresql/15/bin}

# ---------------------------------------------------------------------------
# Kafka broker jars

readonly KAFKA_POM=$RDCONNECT_ROOT/scripts/kafka/pom.xml
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$KAFKA_POM")
[[ -n $KAFKA_VERSION ]] || die "cannot read <kafka.version> from $KAFKA_POM"
readonly KAFKA_VERSION

# The cache lives outside the repository so that fresh clones (CI) reuse it.
readonly RDCONNECT_CACHE_DIR=${RDCONNECT_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/rdconnect}
readonly KAFKA_DIST_DIR=$RDCONNECT_CACHE_DIR/kafka-$KAFKA_VERSION
readonly KAFKA_LIBS_DIR=$KAFKA_DIST_DIR/libs
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly KAFKA_CLASSPATH="$KAFKA_LIBS_DIR/*"
# Holds the digest of the pom the jars came from: written only after a complete
# fetch, so an interrupted fetch or an edited pom triggers a new one.
readonly KAFKA_JARS_MARKER=$KAFKA_DIST_DIR/libs.complete

# ---------------------------------------------------------------------------
# librdkafka

# Debian 12's librdkafka (2.0.2) stalls fetching for a hard-coded second when
# the fetch queue is full and aborts cooperative-sticky consumers after a
# coordinator loss (librdkafka #4312), so rdconnect links the version that
# Debian 13 ships, built from Debian's source package (its binary needs a newer
# libc). scripts/bootstrap.sh builds it once into this cache directory.
readonly RDKAFKA_VERSION=2.8.0
readonly RDKAFKA_DEB_VERSION=$RDKAFKA_VERSION-1
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly RDKAFKA_PREFIX=$RDCONNECT_CACHE_DIR/librdkafka-$RDKAFKA_VERSION

kafka_pom_digest() {
	sha256sum <"$KAFKA_POM" | cut -d' ' -f1
}

kafka_jars_ready() {
	[[ -d $KAFKA_LIBS_DIR && -f $KAFKA_JARS_MARKER ]] &&
		[[ $(<"$KAFKA_JARS_MARKER") == "$(kafka_pom_digest)" ]]
}

fetch_kafka_jars() {
	local staging=$KAFKA_DIST_DIR/libs.partial
	rm -rf -- "$staging" "$KAFKA_JARS_MARKER"
	info "fetching Kafka $KAFKA_VERSION jars into $KAFKA_LIBS_DIR"
	# Run on a copy of the pom in the cache so that Maven leaves nothing in the repo.
	cp -- "$KAFKA_POM" "$KAFKA_DIST_DIR/pom.xml"
	# Maven's output goes to a log shown only on failure: even with -q -B,
	# Debian's Maven 3.8 writes stray colour-reset codes to the terminal.
	local mvn_log=$KAFKA_DIST_DIR/mvn.log
	if ! mvn -q -B -f "$KAFKA_DIST_DIR/pom.xml" dependency:copy-dependencies \
		-DoutputDirectory="$staging" -DincludeScope=runtime >"$mvn_log" 2>&1; then
		cat -- "$mvn_log" >&2
		die "Maven could not fetch the Kafka jars (output above, also in $mvn_log)"
	fi
	rm -rf -- "$KAFKA_LIBS_DIR"
	mv -- "$staging" "$KAFKA_LIBS_DIR"
	kafka_pom_digest >"$KAFKA_JARS_MARKER"
}

# ensure_kafka_jars: fetches the broker jars unless a complete fetch is cached.
ensure_kafka_jars() {
	kafka_jars_ready && return 0
	require_cmd mvn "run scripts/bootstrap.sh to install maven"
	mkdir -p -- "$KAFKA_DIST_DIR"
	# Serialise concurrent callers (e.g. demo and tests started together).
	local lock_fd
	exec {lock_fd}>"$KAFKA_DIST_DIR/.lock"
	flock "$lock_fd"
	kafka_jars_ready || fetch_kafka_jars
	exec {lock_fd}>&-
}

# ---------------------------------------------------------------------------
# Schema Registry: Apicurio Registry, whose Confluent-compatible API
# (/apis/ccompat/v7) the Avro, Protobuf and JSON Schema formats talk to. Maven
# Central has it as one tarball of the Quarkus app: no Maven, no pom.

readonly REGISTRY_VERSION=3.3.3
readonly REGISTRY_TARBALL_URL=https://repo1.maven.org/maven2/io/apicurio/apicurio-registry-app/$REGISTRY_VERSION/apicurio-registry-app-$REGISTRY_VERSION-all.tar.gz
# Maven Central's .sha256 of that file, pinned here so that a changed or
# corrupt download fails instead of running.
readonly REGISTRY_TARBALL_SHA256=8bc6751c76d963734224b01d5e7f84ccb3cb61c87d3bd77c36c35f10a5cbed63
readonly REGISTRY_DIST_DIR=$RDCONNECT_CACHE_DIR/apicurio-registry-$REGISTRY_VERSION
# At the top of the tarball, beside the lib/, app/ and quarkus/ it loads.
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly REGISTRY_JAR=$REGISTRY_DIST_DIR/quarkus-run.jar

fetch_registry() {
	local staging=$REGISTRY_DIST_DIR.partial tarball=$REGISTRY_DIST_DIR.tar.gz.partial
	rm -rf -- "$staging" "$tarball"
	info "fetching Apicurio Registry $REGISTRY_VERSION (160 MB, once) into $REGISTRY_DIST_DIR"
	curl -fsSL --retry 3 -o "$tarball" "$REGISTRY_TARBALL_URL" ||
		die "could not download $REGISTRY_TARBALL_URL; check the network and re-run scripts/bootstrap.sh"
	local sha256
	sha256=$(sha256sum <"$tarball" | cut -d' ' -f1)
	if [[ $sha256 != "$REGISTRY_TARBALL_SHA256" ]]; then
		rm -f -- "$tarball"
		die "$REGISTRY_TARBALL_URL has SHA-256 $sha256, not the pinned $REGISTRY_TARBALL_SHA256; re-run scripts/bootstrap.sh, and if it fails again check the URL and REGISTRY_TARBALL_SHA256 in scripts/lib/common.sh"
	fi
	mkdir -p -- "$staging"
	# Its entries belong to the uid that built it, which root would keep.
	tar -xzf "$tarball" -C "$staging" --no-same-owner ||
		die "could not unpack $tarball; re-run scripts/bootstrap.sh"
	[[ -f $staging/quarkus-run.jar ]] ||
		die "$REGISTRY_TARBALL_URL holds no quarkus-run.jar; check REGISTRY_VERSION in scripts/lib/common.sh"
	# Renamed only once complete, so the jar's presence means a whole unpack.
	rm -rf -- "$REGISTRY_DIST_DIR"
	mv -- "$staging" "$REGISTRY_DIST_DIR"
	rm -f -- "$tarball"
}

# ensure_registry: fetches the Schema Registry unless it is in the cache.
ensure_registry() {
	[[ -f $REGISTRY_JAR ]] && return 0
	require_cmd curl "run scripts/bootstrap.sh to install curl"
	mkdir -p -- "$RDCONNECT_CACHE_DIR"
	# Serialise concurrent callers, as for the Kafka jars.
	local lock_fd
	exec {lock_fd}>"$RDCONNECT_CACHE_DIR/.apicurio-registry-$REGISTRY_VERSION.lock"
	flock "$lock_fd"
	[[ -f $REGISTRY_JAR ]] || fetch_registry
	exec {lock_fd}>&-
}

# ---------------------------------------------------------------------------
# Python reference clients (tests/support/python): confluent-kafka's own
# serializers, an implementation independent of rdconnect's, in a venv.

readonly PYTHON_REQUIREMENTS=$RDCONNECT_ROOT/tests/support/python/requirements.txt
# Debian's python3 rather than the first on PATH (a pyenv, say), so that every
# machine builds the venv from the same interpreter.
readonly VENV_BASE_PYTHON=/usr/bin/python3
readonly PYTHON_VENV_DIR=$RDCONNECT_CACHE_DIR/python-venv
# shellcheck disable=SC2034 # used by the scripts that source this file
readonly PYTHON_VENV_PYTHON=$PYTHON_VENV_DIR/bin/python
# Holds the digest of the requirements the venv has: written only after a
# complete install, so an interrupted one or an edited file triggers a new venv.
readonly PYTHON_VENV_MARKER=$PYTHON_VENV_DIR/requirements.complete

python_requirements_digest() {
	sha256sum <"$PYTHON_REQUIREMENTS" | cut -d' ' -f1
}

python_venv_ready() {
	[[ -x $PYTHON_VENV_PYTHON && -f $PYTHON_VENV_MARKER ]] &&
		[[ $(<"$PYTHON_VENV_MARKER") == "$(python_requirements_digest)" ]]
}

# A venv cannot be moved once made, so it is built in place, from scratch.
build_python_venv() {
	local log=$RDCONNECT_CACHE_DIR/python-venv.log
	info "creating the Python venv of the reference clients in $PYTHON_VENV_DIR"
	rm -rf -- "$PYTHON_VENV_DIR"
	"$VENV_BASE_PYTHON" -m venv "$PYTHON_VENV_DIR" >"$log" 2>&1 || {
		cat -- "$log" >&2
		die "$VENV_BASE_PYTHON -m venv failed (output above); run scripts/bootstrap.sh to install python3-venv"
	}
	# Wheels only: nothing compiles, and what is installed is what was pinned.
	if ! "$PYTHON_VENV_PYTHON" -m pip install -q --no-input --only-binary=:all: \
		-r "$PYTHON_REQUIREMENTS" >>"$log" 2>&1; then
		tail -n 30 -- "$log" >&2
		die "pip could not install $PYTHON_REQUIREMENTS (end of its output above, all of it in $log); check the network and the pins, then re-run scripts/bootstrap.sh"
	fi
	python_requirements_digest >"$PYTHON_VENV_MARKER"
}

# ensure_python_venv: builds the venv unless one of these requirements is cached.
ensure_python_venv() {
	python_venv_ready && return 0
	[[ -x $VENV_BASE_PYTHON ]] || die "$VENV_BASE_PYTHON not found; run scripts/bootstrap.sh to install python3"
	mkdir -p -- "$RDCONNECT_CACHE_DIR"
	local lock_fd
	exec {lock_fd}>"$RDCONNECT_CACHE_DIR/.python-venv.lock"
	flock "$lock_fd"
	python_venv_ready || build_python_venv
	exec {lock_fd}>&-
}

# ---------------------------------------------------------------------------
# Services for the tests (scripts/services.sh), shared by test.sh and
# sanitize.sh. RDCONNECT_TEST_BROKERS: brokers to start (default 3, which the
# fault tests need).

readonly SERVICES_SH=$RDCONNECT_ROOT/scripts/services.sh

# export_services_env: exports KAFKA_BOOTSTRAP, PG_DSN, ... of the running services.
export_services_env() {
	local env_text
	env_text=$("$SERVICES_SH" env)
	set -a
	eval "$env_text"
	set +a
}

# start_services: starts the services, or checks that the running ones
# match RDCONNECT_TEST_BROKERS when it is set; then exports their env.
start_services() {
	local up_args=()
	if "$SERVICES_SH" status >/dev/null 2>&1; then
		[[ -n ${RDCONNECT_TEST_BROKERS:-} ]] && up_args+=(--brokers "$RDCONNECT_TEST_BROKERS")
	else
		# The broker-loss fault test stops one broker of three.
		up_args+=(--brokers "${RDCONNECT_TEST_BROKERS:-3}")
	fi
	"$SERVICES_SH" up "${up_args[@]}"
	export_services_env
}

# stop_services: stops them, unless RDCONNECT_KEEP_SERVICES=1.
stop_services() {
	if [[ ${RDCONNECT_KEEP_SERVICES:-0} == 1 ]]; then
		info "services left running (RDCONNECT_KEEP_SERVICES=1); stop them with scripts/services.sh down"
		return 0
	fi
	"$SERVICES_SH" down
}

# Set to 1 by reuse_or_start_services when it started the services itself.
SERVICES_STARTED_HERE=0

# reuse_or_start_services: exports the env of the services when they are all
# up, without touching them (they may belong to another run); starts them
# when nothing is up; refuses a half-dead set rather than tear it down.
# Pair with stop_services_started_here.
reuse_or_start_services() {
	local status=0
	"$SERVICES_SH" status >/dev/null 2>&1 || status=$?
	case $status in
	0)
		info "reusing the running services ($("$SERVICES_SH" env | sed -n 's/^RDCONNECT_STATE_DIR=//p'))"
		export_services_env
		;;
	3)
		SERVICES_STARTED_HERE=1
		start_services
		;;
	*)
		"$SERVICES_SH" status >&2 || true
		die "some services are down (above); restart them or run scripts/services.sh down"
		;;
	esac
}

# stop_services_started_here: stops the services if reuse_or_start_services
# started them.
stop_services_started_here() {
	((SERVICES_STARTED_HERE == 0)) || stop_services
}
