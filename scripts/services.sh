#!/usr/bin/env bash
# Runs the throwaway services that the integration and fault tests and the demo
# need: a local KRaft Kafka cluster of N nodes, a PostgreSQL 15 cluster and a
# Schema Registry (Apicurio), on free loopback ports.
# All state (configs, data, logs, pids, the env file) lives in one directory,
# and only processes recorded there are ever signalled.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

STATE_DIR=${RDCONNECT_STATE_DIR:-$RDCONNECT_ROOT/.services}
STATE_DIR=$(realpath -m -- "$STATE_DIR")
readonly STATE_DIR
readonly ENV_FILE=$STATE_DIR/services.env
# Holds the broker count; its presence means this directory has our state.
readonly COUNT_FILE=$STATE_DIR/kafka-brokers
# PostgreSQL: data, server log, port, pid and the project role's password.
# PostgreSQL runs as the postgres user when we are root; if the state dir is
# closed to that user (a clone in /root), PG_DIR is a directory in /tmp that
# PG_LINK points to. set_pg_dir sets PG_DIR, PG_DATA and PG_LOG.
readonly PG_LINK=$STATE_DIR/postgres
readonly PG_TMP_PREFIX=rdconnect-postgres.
set_pg_dir() {
	PG_DIR=$1
	PG_DATA=$PG_DIR/data
	PG_LOG=$PG_DIR/server.log
}
if [[ -L $PG_LINK ]]; then
	set_pg_dir "$(readlink -- "$PG_LINK")"
else
	set_pg_dir "$PG_LINK"
fi
# The project's role, and the database it owns; it is not a superuser.
readonly PG_ROLE=rdconnect
# Schema Registry: ports, pid, log, and its H2 database in a file, so that a
# stop and start keeps the schemas and their ids.
readonly REGISTRY_DIR=$STATE_DIR/registry
readonly REGISTRY_DB_URL=jdbc:h2:file:$REGISTRY_DIR/data/registry
readonly REGISTRY_LOG=$REGISTRY_DIR/registry.log
# The Confluent-compatible API that clients (and SCHEMA_REGISTRY_URL) use.
readonly REGISTRY_API_PATH=/apis/ccompat/v7
readonly REGISTRY_MIN_JAVA=21
readonly REGISTRY_START_TIMEOUT_S=60
# It serves the tests a handful of requests: the optimising JIT and a parallel
# GC would only slow its start (halving it on 2 cores) while the brokers boot.
readonly REGISTRY_JVM_OPTS=(-Xms64m -Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

readonly MAX_BROKERS=9
readonly START_TIMEOUT_S=90
readonly STOP_TIMEOUT_S=60
readonly DOWN_TIMEOUT_S=30
readonly LOCK_TIMEOUT_S=180
readonly STARTED_LINE='Kafka Server started'
readonly KAFKA_HEAP=(-Xms256m -Xmx512m)
# The format tool runs for a second or two: skip the optimising JIT.
readonly KAFKA_TOOL_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

usage() {
	cat <<EOF
usage: scripts/services.sh COMMAND

  up [--brokers N]    start a KRaft Kafka cluster of N nodes (default 1, at most
                      $MAX_BROKERS), PostgreSQL 15 and the Schema Registry, wait
                      until they serve, print the env with the password masked;
                      harmless if up
  down                stop what 'up' started and delete its data
  status              one line per service; exit 0 all alive, 1 some dead, 3 not up
  env                 print KEY=VALUE lines to source (KAFKA_BOOTSTRAP, PG_DSN,
                      SCHEMA_REGISTRY_URL, RDCONNECT_PYTHON, ...)
  stop-broker ID      stop broker ID (1..N) gracefully and wait until it is gone
  start-broker ID     restart broker ID with its config and data; wait until it serves
  stop-postgres       stop PostgreSQL (fast shutdown) and wait until it is gone
  start-postgres      restart PostgreSQL with its port and data; wait for logins
  stop-registry       stop the Schema Registry and wait until it is gone
  start-registry      restart it with its port and schemas; wait until it serves

State directory: $STATE_DIR (set RDCONNECT_STATE_DIR to change it).
KAFKA_BOOTSTRAP lists the brokers in id order, so its Nth entry is broker N.
PG_DSN logs in as the role $PG_ROLE (a new random password each 'up') to its
database $PG_ROLE.
SCHEMA_REGISTRY_URL is Apicurio Registry $REGISTRY_VERSION's Confluent-compatible
API; it runs on a Java $REGISTRY_MIN_JAVA or newer: RDCONNECT_REGISTRY_JAVA, else the
newest in /usr/lib/jvm. RDCONNECT_PYTHON has confluent-kafka's serializers
(tests/support/python/schema_produce.py).
EOF
}

# --- state -----------------------------------------------------------------

broker_dir() { printf '%s/broker-%s' "$STATE_DIR" "$1"; }
broker_port() { cat -- "$(broker_dir "$1")/port"; }
broker_log() { printf '%s/server.log' "$(broker_dir "$1")"; }

state_exists() { [[ -f $COUNT_FILE ]]; }
broker_count() { cat -- "$COUNT_FILE"; }
broker_ids() { seq 1 "$(broker_count)"; }

broker_pid() {
	local pid_file
	pid_file=$(broker_dir "$1")/pid
	[[ -f $pid_file ]] && cat -- "$pid_file"
}

# True only if the recorded pid still runs *this* broker's config, so that a
# recycled pid never gets signalled.
broker_alive() {
	local pid cmdline
	pid=$(broker_pid "$1") || return 1
	[[ -n $pid ]] || return 1
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmdline == *" kafka.Kafka $(broker_dir "$1")/server.properties"* ]]
}

broker_gone() { ! broker_alive "$1"; }

all_brokers_alive() {
	local id
	for id in $(broker_ids); do
		broker_alive "$id" || return 1
	done
}

no_broker_alive() {
	local id
	for id in $(broker_ids); do
		broker_alive "$id" && return 1
	done
	return 0
}

require_up() {
	if ! state_exists || [[ ! -f $ENV_FILE ]]; then
		die "services are not up (state dir $STATE_DIR); run scripts/services.sh up"
	fi
}

# Serialises the commands that change the state, e.g. when the demo and the
# tests are started together. Locks the parent directory, which unlike the
# state dir is never deleted. Brokers must not inherit the descriptor.
LOCK_FD=
lock_state() {
	local parent
	parent=$(dirname -- "$STATE_DIR")
	mkdir -p -- "$parent"
	exec {LOCK_FD}<"$parent"
	flock -w "$LOCK_TIMEOUT_S" "$LOCK_FD" ||
		die "another scripts/services.sh kept $STATE_DIR busy for ${LOCK_TIMEOUT_S}s"
}

require_broker_id() {
	if ! [[ $1 =~ ^[1-9][0-9]*$ ]] || (($1 > $(broker_count))); then
		die "no broker '$1': ids are 1..$(broker_count)"
	fi
}

# --- configuration -----------------------------------------------------------

write_log4j_config() {
	local dir=$1
	cat >"$dir/log4j2.properties" <<EOF
# Broker log to a file in its state dir, never to the console.
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = $dir/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
# As in Kafka's own config: per-request logging is far too chatty at INFO.
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

# write_broker_config ID PORT CONTROLLER_PORT VOTERS COUNT
write_broker_config() {
	local id=$1 port=$2 controller_port=$3 voters=$4 count=$5
	local dir
	dir=$(broker_dir "$id")
	mkdir -p -- "$dir/data"
	printf '%s\n' "$port" >"$dir/port"
	write_log4j_config "$dir"
	# Internal topics cannot have more replicas than there are brokers.
	local rf=$((count < 3 ? count : 3)) min_isr=$((count < 2 ? count : 2))
	cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=$id
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
# Tests start consumer groups constantly; don't make each wait 3 s.
group.initial.rebalance.delay.ms=0
# A restarted broker is refused (DUPLICATE_BROKER_REGISTRATION) until its old
# session expires, and a killed one is fenced only then: 4 s instead of 9 s
# keeps fault tests quick without fencing brokers on a busy 2-core machine.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=4000
EOF
}

kafka_tool() {
	java "${KAFKA_TOOL_OPTS[@]}" -cp "$KAFKA_CLASSPATH" "$@"
}

new_cluster_id() {
	kafka_tool kafka.tools.StorageTool random-uuid
}

format_broker() {
	local id=$1 cluster_id=$2 dir
	dir=$(broker_dir "$id")
	kafka_tool -Dlog4j2.configurationFile="$dir/log4j2.properties" \
		kafka.tools.StorageTool format -t "$cluster_id" -c "$dir/server.properties" \
		>"$dir/format.log" 2>&1 ||
		die "formatting broker $id failed: $(cat -- "$dir/format.log")"
}

# --- processes -------------------------------------------------------------

# Starts broker ID in its own session so that a Ctrl-C or hang-up aimed at the
# calling shell does not reach it; only `down`/`stop-broker` stop it.
launch_broker() {
	local id=$1 dir
	dir=$(broker_dir "$id")
	setsid java "${KAFKA_HEAP[@]}" -Djava.awt.headless=true \
		-Dlog4j2.configurationFile="$dir/log4j2.properties" \
		-cp "$KAFKA_CLASSPATH" kafka.Kafka "$dir/server.properties" \
		</dev/null >>"$dir/console.log" 2>&1 {LOCK_FD}<&- &
	local pid=$!
	printf '%s\n' "$pid" >"$dir/pid"
	# Not a job of this shell: a broker that dies is reported by broker_died.
	disown "$pid"
	# Until it execs java, the child's command line is this script's, and
	# broker_alive (which checks it) would take a broker being started on a
	# busy machine for one that died.
	wait_until 10 "broker $id to exec java" exec_done "$id" "$pid" || true
}

# exec_done ID PID: the broker's process runs java, or has already exited.
exec_done() { broker_alive "$1" || ! kill -0 "$2" 2>/dev/null; }

started_count() {
	local log
	log=$(broker_log "$1")
	[[ -f $log ]] || {
		echo 0
		return
	}
	grep -c -- "$STARTED_LINE" "$log" || true
}

broker_died() {
	local id=$1 dir
	dir=$(broker_dir "$id")
	{
		echo "--- last lines of $dir/server.log"
		tail -n 30 -- "$dir/server.log" 2>/dev/null || true
		echo "--- last lines of $dir/console.log"
		tail -n 15 -- "$dir/console.log" 2>/dev/null || true
	} >&2
	die "Kafka broker $id exited during startup (logs above)"
}

# broker_serving ID MIN_STARTED: the broker accepts connections and has logged
# its startup at least MIN_STARTED times (a restart appends to the same log).
# Gives up at once if the process is gone.
broker_serving() {
	local id=$1 min_started=$2
	broker_alive "$id" || broker_died "$id"
	port_open "$(broker_port "$id")" && (($(started_count "$id") >= min_started))
}

# A broker logs its start only after registering with the quorum and catching
# up on metadata, so all of them having started means the cluster is complete.
# Checks every broker for death first: the survivors of a dead peer can wait a
# minute for a quorum before they give up too.
all_brokers_serving() {
	local id
	for id in $(broker_ids); do
		broker_alive "$id" || broker_died "$id"
	done
	for id in $(broker_ids); do
		broker_serving "$id" 1 || return 1
	done
}

signal_broker() {
	local id=$1 signal=$2
	broker_alive "$id" && kill "-$signal" "$(broker_pid "$id")" 2>/dev/null
	return 0
}

stop_all_brokers() {
	local id
	for id in $(broker_ids); do
		signal_broker "$id" TERM
	done
	wait_until "$DOWN_TIMEOUT_S" "the Kafka brokers to exit" no_broker_alive && return 0
	warn "sending SIGKILL to the brokers still running"
	for id in $(broker_ids); do
		signal_broker "$id" KILL
	done
	wait_until 10 "the Kafka brokers to die" no_broker_alive
}

# --- PostgreSQL ----------------------------------------------------------------

pg_port() { cat -- "$PG_DIR/port"; }
pg_password() { cat -- "$PG_DIR/password"; }
pg_state_exists() { [[ -d $PG_DATA ]]; }

pg_pid() {
	[[ -f $PG_DIR/pid ]] && cat -- "$PG_DIR/pid"
}

# initdb and postgres refuse to run as root: root runs them as Debian's
# postgres system user, anyone else as themselves. From /, which that user can
# always read.
pg_os_user() {
	if ((EUID == 0)); then
		echo postgres
	else
		id -un
	fi
}

as_pg_user() {
	if ((EUID == 0)); then
		(cd / && exec runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# True only if the recorded pid still runs the postmaster of *our* data dir,
# so that a recycled pid never gets signalled.
postgres_alive() {
	local pid cmdline
	pid=$(pg_pid) || return 1
	[[ -n $pid ]] || return 1
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmdline == *"/postgres -D $PG_DATA "* ]]
}

postgres_gone() { ! postgres_alive; }

# Hides the project role's password in text on its way to a log or terminal.
redact_password() {
	local password
	password=$(pg_password 2>/dev/null) || password=
	if [[ -n $password ]]; then
		sed "s/$password/<password>/g"
	else
		cat
	fi
}

postgres_died() {
	{
		echo "--- pg_ctl said"
		redact_password <"$PG_DIR/pg_ctl.log" 2>/dev/null || true
		echo "--- last lines of $PG_LOG"
		tail -n 30 -- "$PG_LOG" 2>/dev/null | redact_password || true
	} >&2
	die "PostgreSQL is not running (log above)"
}

# Logs in over TCP with the password, as the tests and connectors will.
pg_login_works() {
	PGPASSWORD=$(pg_password) "$PG_BIN_DIR/psql" -X -q -At \
		"host=127.0.0.1 port=$(pg_port) user=$PG_ROLE dbname=$PG_ROLE connect_timeout=3" \
		-c 'select 1' >/dev/null 2>&1
}

# Gives up at once if the postmaster is gone.
postgres_serving() {
	postgres_alive || postgres_died
	"$PG_BIN_DIR/pg_isready" -q -h 127.0.0.1 -p "$(pg_port)" -t 3 && pg_login_works
}

new_password() {
	od -An -N16 -tx1 /dev/urandom | tr -d ' \n'
}

# make_pg_dir: creates PG_DIR for the user that runs PostgreSQL, in /tmp if
# that user cannot get into the state dir.
make_pg_dir() {
	if ! as_pg_user test -x "$STATE_DIR"; then
		set_pg_dir "$(mktemp -d "${TMPDIR:-/tmp}/${PG_TMP_PREFIX}XXXXXX")"
		ln -s -- "$PG_DIR" "$PG_LINK"
		info "user $(pg_os_user) cannot get into $STATE_DIR: PostgreSQL's data is in $PG_DIR"
	fi
	mkdir -p -- "$PG_DIR"
	chmod 0755 -- "$PG_DIR"
	if ((EUID == 0)); then
		chown postgres:postgres -- "$PG_DIR"
	fi
	as_pg_user test -w "$PG_DIR" || die "user $(pg_os_user) cannot write to $PG_DIR"
}

# Follows PG_LINK only to a directory that make_pg_dir made.
remove_pg_dir() {
	if [[ -L $PG_LINK ]]; then
		[[ $(basename -- "$PG_DIR") == "$PG_TMP_PREFIX"* ]] && rm -rf -- "$PG_DIR"
		rm -f -- "$PG_LINK"
	else
		rm -rf -- "$PG_LINK"
	fi
}

# init_postgres PORT: a new cluster whose superuser can log in only through the
# unix socket in the data dir (peer), everyone else only by password over TCP.
init_postgres() {
	local port=$1
	[[ -x $PG_BIN_DIR/initdb ]] ||
		die "PostgreSQL 15 not found in $PG_BIN_DIR; run scripts/bootstrap.sh"
	if ((EUID == 0)); then
		id -u postgres >/dev/null 2>&1 ||
			die "no 'postgres' user (created by Debian's postgresql-15); run scripts/bootstrap.sh"
	fi
	# The socket path must fit in sockaddr_un (107 bytes).
	((${#PG_DATA} + 20 <= 107)) ||
		die "state dir path too long for a unix socket: $PG_DATA; set RDCONNECT_STATE_DIR to a shorter path"

	make_pg_dir
	printf '%s\n' "$port" >"$PG_DIR/port"
	(umask 077 && new_password >"$PG_DIR/password")
	# --no-sync: a crash loses this throwaway cluster anyway; the server itself
	# keeps fsync on.
	as_pg_user "$PG_BIN_DIR/initdb" -D "$PG_DATA" -U "$(pg_os_user)" \
		--auth-local=peer --auth-host=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 --no-sync --no-instructions \
		>"$PG_DIR/initdb.log" 2>&1 ||
		die "initdb failed: $(cat -- "$PG_DIR/initdb.log")"
	cat >>"$PG_DATA/postgresql.conf" <<CONF

# --- added by scripts/services.sh
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_DATA'
password_encryption = scram-sha-256
max_connections = 100
shared_buffers = 128MB
# Exactly-once tests need the real durability semantics.
fsync = on
synchronous_commit = on
logging_collector = off
CONF
}

# Starts the postmaster (pg_ctl puts it in a session of its own) and waits
# until it accepts connections or has died.
launch_postgres() {
	local rc=0
	as_pg_user "$PG_BIN_DIR/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" \
		-w -t "$START_TIMEOUT_S" -s {LOCK_FD}<&- >"$PG_DIR/pg_ctl.log" 2>&1 || rc=$?
	# Recorded even when pg_ctl gave up, so that a postmaster that is slow
	# rather than dead still gets stopped.
	local pid
	pid=$(head -n 1 -- "$PG_DATA/postmaster.pid" 2>/dev/null) || pid=
	printf '%s\n' "$pid" >"$PG_DIR/pid"
	((rc == 0)) || postgres_died
}

# The password goes through stdin, never argv; the session does not log failing
# statements, so the server log never holds it either.
create_project_role() {
	local setup_log=$PG_DIR/setup.log
	as_pg_user "$PG_BIN_DIR/psql" -X -q -v ON_ERROR_STOP=1 \
		-h "$PG_DATA" -p "$(pg_port)" -U "$(pg_os_user)" -d postgres \
		>"$setup_log" 2>&1 <<SQL || die "creating role $PG_ROLE failed: $(redact_password <"$setup_log")"
SET log_min_error_statement = panic;
CREATE ROLE $PG_ROLE LOGIN PASSWORD '$(pg_password)';
CREATE DATABASE $PG_ROLE OWNER $PG_ROLE;
SQL
}

start_new_postgres() {
	local port=$1
	init_postgres "$port"
	launch_postgres
	create_project_role
	wait_until "$START_TIMEOUT_S" "PostgreSQL to accept logins" postgres_serving
}

# pids_gone PID...: none of them runs any more (a zombie has no cmdline).
pids_gone() {
	local pid
	for pid; do
		[[ -s /proc/$pid/cmdline ]] && return 1
	done
	return 0
}

# Backends run in sessions of their own, so they are found by parent pid and
# killed in the same call as the postmaster, which cannot restart them then.
# A killed postmaster leaves its small System V segment behind (its id is on
# line 7 of postmaster.pid, "KEY ID"): removed once all of them are gone. So
# are its lock files (postmaster.pid, the socket's .lock): the next start would
# refuse while the dead postmaster is a zombie not yet reaped, which can take
# seconds when PID 1 reaps lazily, or forever.
kill_postgres() {
	local pid shm_id children
	postgres_alive || return 0
	pid=$(pg_pid)
	mapfile -t children < <(pgrep -P "$pid" || true)
	kill -KILL "$pid" "${children[@]}" 2>/dev/null || true
	wait_until 10 "PostgreSQL to die" pids_gone "$pid" "${children[@]}" || return 1
	shm_id=$(sed -n '7s/^ *[0-9]* *//p' "$PG_DATA/postmaster.pid" 2>/dev/null) || shm_id=
	[[ -z $shm_id ]] || ipcrm -m "$shm_id" 2>/dev/null || true
	rm -f -- "$PG_DATA/postmaster.pid" "$PG_DATA"/.s.PGSQL.*.lock
}

# stop_postgres TIMEOUT_S: fast shutdown (open transactions are rolled back),
# then SIGKILL if it is still running after TIMEOUT_S.
stop_postgres() {
	local timeout_s=$1
	postgres_alive || return 0
	as_pg_user "$PG_BIN_DIR/pg_ctl" stop -D "$PG_DATA" -m fast -W -s >/dev/null 2>&1 || true
	wait_until "$timeout_s" "PostgreSQL to exit" postgres_gone && return 0
	warn "sending SIGKILL to PostgreSQL"
	kill_postgres
}

# --- Schema Registry -----------------------------------------------------------

registry_port() { cat -- "$REGISTRY_DIR/port"; }
registry_management_port() { cat -- "$REGISTRY_DIR/management-port"; }
registry_state_exists() { [[ -f $REGISTRY_DIR/port ]]; }

registry_pid() {
	[[ -f $REGISTRY_DIR/pid ]] && cat -- "$REGISTRY_DIR/pid"
}

# java_major JAVA: prints its feature version (17, 21, ...); nothing for a
# Java 8 ("1.8") or a file that does not run.
java_major() {
	{ "$1" -XshowSettings:properties -version 2>&1 || true; } |
		sed -n 's/^ *java\.specification\.version = \([0-9]*\)$/\1/p'
}

# registry_java: prints the java to run the registry with. Apicurio 3 is built
# for Java 21 (Java 17 fails with UnsupportedClassVersionError) and Debian 12
# packages only 17: RDCONNECT_REGISTRY_JAVA if set, else the newest Java in
# /usr/lib/jvm if it is new enough.
registry_java() {
	local hint="install a Java $REGISTRY_MIN_JAVA or newer JDK (e.g. Temurin 25 into /usr/lib/jvm) or set RDCONNECT_REGISTRY_JAVA"
	local java major
	if [[ -n ${RDCONNECT_REGISTRY_JAVA:-} ]]; then
		major=$(java_major "$RDCONNECT_REGISTRY_JAVA")
		((${major:-0} >= REGISTRY_MIN_JAVA)) ||
			die "RDCONNECT_REGISTRY_JAVA=$RDCONNECT_REGISTRY_JAVA is not a Java $REGISTRY_MIN_JAVA or newer (its version: ${major:-none}); $hint"
		printf '%s\n' "$RDCONNECT_REGISTRY_JAVA"
		return 0
	fi
	local best_major=0 best=
	for java in /usr/lib/jvm/*/bin/java; do
		[[ -x $java ]] || continue
		major=$(java_major "$java")
		if ((${major:-0} > best_major)); then
			best=$java
			best_major=$major
		fi
	done
	((best_major >= REGISTRY_MIN_JAVA)) ||
		die "the Schema Registry needs Java $REGISTRY_MIN_JAVA or newer; the newest in /usr/lib/jvm is ${best:-none}${best:+ (Java $best_major)}; $hint"
	printf '%s\n' "$best"
}

# True only if the recorded pid still runs the registry of *our* database, so
# that a recycled pid never gets signalled.
registry_alive() {
	local pid cmdline
	pid=$(registry_pid) || return 1
	[[ -n $pid ]] || return 1
	cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
	[[ $cmdline == *" -Dapicurio.datasource.url=$REGISTRY_DB_URL "* ]]
}

registry_gone() { ! registry_alive; }

# registry_failed WHAT: shows the end of its log and dies saying WHAT it did.
registry_failed() {
	{
		echo "--- last lines of $REGISTRY_LOG"
		tail -n 30 -- "$REGISTRY_LOG" 2>/dev/null || true
	} >&2
	die "the Schema Registry $1 (log above)"
}

# Gives up at once if the process is gone.
registry_serving() {
	registry_alive || registry_failed "exited during startup"
	curl -fsS -o /dev/null --max-time 3 \
		"http://127.0.0.1:$(registry_port)$REGISTRY_API_PATH/subjects" 2>/dev/null
}

# init_registry PORT MANAGEMENT_PORT
init_registry() {
	mkdir -p -- "$REGISTRY_DIR/data" "$REGISTRY_DIR/tmp"
	printf '%s\n' "$1" >"$REGISTRY_DIR/port"
	printf '%s\n' "$2" >"$REGISTRY_DIR/management-port"
}

# launch_registry JAVA: starts the registry in its own session, as
# launch_broker does a broker, and returns without waiting for it to serve.
# Both of its HTTP servers (the API, and health and metrics) listen on
# loopback only; its temporary files (Vert.x's cache) stay in the state dir.
launch_registry() {
	local java=$1
	setsid "$java" "${REGISTRY_JVM_OPTS[@]}" -Djava.awt.headless=true \
		-Djava.io.tmpdir="$REGISTRY_DIR/tmp" \
		-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$(registry_port)" \
		-Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$(registry_management_port)" \
		-Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
		-Dapicurio.datasource.url="$REGISTRY_DB_URL" \
		-jar "$REGISTRY_JAR" \
		</dev/null >>"$REGISTRY_LOG" 2>&1 {LOCK_FD}<&- &
	local pid=$!
	printf '%s\n' "$pid" >"$REGISTRY_DIR/pid"
	disown "$pid"
	# As for a broker: until the exec, registry_alive would take it for dead.
	wait_until 10 "the Schema Registry to exec java" registry_exec_done "$pid" || true
}

# registry_exec_done PID: the registry's process runs java, or has already exited.
registry_exec_done() { registry_alive || ! kill -0 "$1" 2>/dev/null; }

wait_for_registry() {
	wait_until "$REGISTRY_START_TIMEOUT_S" "the Schema Registry to serve" registry_serving ||
		registry_failed "did not serve $REGISTRY_API_PATH within ${REGISTRY_START_TIMEOUT_S}s"
}

# stop_registry TIMEOUT_S: SIGTERM (Quarkus closes the database), then SIGKILL
# if it is still running after TIMEOUT_S.
stop_registry() {
	local timeout_s=$1
	registry_alive || return 0
	kill -TERM "$(registry_pid)" 2>/dev/null || true
	wait_until "$timeout_s" "the Schema Registry to exit" registry_gone && return 0
	warn "sending SIGKILL to the Schema Registry"
	registry_alive && kill -KILL "$(registry_pid)" 2>/dev/null
	wait_until 10 "the Schema Registry to die" registry_gone
}

# --- teardown -----------------------------------------------------------------

# Removes only what `up` creates; the directory itself goes only once empty,
# in case RDCONNECT_STATE_DIR points somewhere shared.
remove_state() {
	rm -rf -- "$STATE_DIR"/broker-[0-9]* "$REGISTRY_DIR"
	remove_pg_dir
	rm -f -- "$ENV_FILE" "$COUNT_FILE"
	rmdir -- "$STATE_DIR" 2>/dev/null || true
}

teardown() {
	state_exists || return 0
	local rc=0
	stop_registry "$DOWN_TIMEOUT_S" || rc=1
	stop_postgres "$DOWN_TIMEOUT_S" || rc=1
	stop_all_brokers || rc=1
	((rc == 0)) || die "some services would not stop; their state is kept in $STATE_DIR"
	remove_state
}

# --- commands ----------------------------------------------------------------

# Readable by its owner only: it holds the database password.
write_env_file() {
	local id bootstrap=()
	for id in $(broker_ids); do
		bootstrap+=("127.0.0.1:$(broker_port "$id")")
	done
	rm -f -- "$ENV_FILE"
	(
		umask 077
		{
			printf 'KAFKA_BOOTSTRAP=%s\n' "$(join_by , "${bootstrap[@]}")"
			printf 'KAFKA_BROKERS=%s\n' "$(broker_count)"
			printf 'PG_DSN=postgresql://%s:%s@127.0.0.1:%s/%s\n' \
				"$PG_ROLE" "$(pg_password)" "$(pg_port)" "$PG_ROLE"
			printf 'PG_PORT=%s\n' "$(pg_port)"
			printf 'SCHEMA_REGISTRY_URL=http://127.0.0.1:%s%s\n' "$(registry_port)" "$REGISTRY_API_PATH"
			# The reference clients' python: tests/support/python/*.py
			printf 'RDCONNECT_PYTHON=%q\n' "$PYTHON_VENV_PYTHON"
			# For tests that stop and start services through this script.
			printf 'RDCONNECT_SERVICES=%q\n' "$RDCONNECT_ROOT/scripts/services.sh"
			printf 'RDCONNECT_STATE_DIR=%q\n' "$STATE_DIR"
		} >"$ENV_FILE"
	)
}

# The env for terminals and CI logs: only `env` prints the password.
print_masked_env() {
	redact_password <"$ENV_FILE"
}

# If `up` fails half-way, stop what it started but keep the logs to read.
abort_up() {
	local rc=$?
	((rc == 0)) && return
	stop_registry "$DOWN_TIMEOUT_S" || true
	stop_postgres "$DOWN_TIMEOUT_S" || true
	stop_all_brokers || true
	rm -f -- "$ENV_FILE"
	warn "services stopped; logs kept in $STATE_DIR (scripts/services.sh down removes them)"
	exit "$rc"
}

# Starts the brokers and the registry, sets up PostgreSQL while they boot,
# then waits for them.
start_services() {
	local count=$1 id
	ensure_kafka_jars
	ensure_registry
	ensure_python_venv
	require_cmd java "run scripts/bootstrap.sh to install openjdk-17-jre-headless"
	require_cmd python3 "run scripts/bootstrap.sh to install python3"
	require_cmd curl "run scripts/bootstrap.sh to install curl"
	local registry_java
	registry_java=$(registry_java)

	mkdir -p -- "$STATE_DIR"
	local ports_line ports
	ports_line=$(pick_free_ports $((2 * count + 3)))
	read -ra ports <<<"$ports_line"
	# Broker ID listens on ports[2*(ID-1)] for clients and the next for the
	# quorum; PostgreSQL on the next one, the registry on the last two.
	local voter_list=() voters
	for id in $(seq 1 "$count"); do
		voter_list+=("$id@127.0.0.1:${ports[2 * id - 1]}")
	done
	voters=$(join_by , "${voter_list[@]}")

	printf '%s\n' "$count" >"$COUNT_FILE"
	exit_on_signals
	trap abort_up EXIT
	for id in $(broker_ids); do
		write_broker_config "$id" "${ports[2 * id - 2]}" "${ports[2 * id - 1]}" "$voters" "$count"
	done
	local cluster_id
	cluster_id=$(new_cluster_id)
	for id in $(broker_ids); do
		format_broker "$id" "$cluster_id"
	done
	for id in $(broker_ids); do
		launch_broker "$id"
	done
	init_registry "${ports[2 * count + 1]}" "${ports[2 * count + 2]}"
	launch_registry "$registry_java"
	local pg_started=$EPOCHSECONDS
	start_new_postgres "${ports[2 * count]}"
	info "PostgreSQL up on 127.0.0.1:$(pg_port) in $((EPOCHSECONDS - pg_started))s"
	wait_until "$START_TIMEOUT_S" "$count Kafka broker(s) to serve" all_brokers_serving
	wait_for_registry
	write_env_file
	trap - EXIT
}

all_services_alive() {
	all_brokers_alive && postgres_alive && registry_alive
}

cmd_up() {
	local count=
	while (($# > 0)); do
		case $1 in
		--brokers)
			(($# >= 2)) || die "--brokers needs a number"
			count=$2
			shift 2
			;;
		--brokers=*)
			count=${1#*=}
			shift
			;;
		*) die "up: unknown argument '$1' (see --help)" ;;
		esac
	done
	if [[ -n $count ]] && ! { [[ $count =~ ^[1-9][0-9]*$ ]] && ((count <= MAX_BROKERS)); }; then
		die "--brokers must be a number from 1 to $MAX_BROKERS, not '$count'"
	fi

	if state_exists && [[ -f $ENV_FILE ]] && all_services_alive; then
		[[ -z $count || $count == "$(broker_count)" ]] ||
			die "already up with $(broker_count) broker(s); run scripts/services.sh down first"
		info "already up"
		print_masked_env
		return 0
	fi
	if state_exists; then
		info "clearing stale state in $STATE_DIR"
		teardown
	fi

	local started=$EPOCHSECONDS
	start_services "${count:-1}"
	info "Kafka $KAFKA_VERSION (${count:-1} broker(s)), PostgreSQL and the Schema Registry up in $((EPOCHSECONDS - started))s"
	print_masked_env
}

cmd_down() {
	if ! state_exists; then
		info "nothing is up"
		return 0
	fi
	teardown
	info "down"
}

cmd_status() {
	if ! state_exists; then
		echo "not up"
		return 3
	fi
	local id state rc=0
	printf '%-10s %-6s %-8s %s\n' service port pid state
	for id in $(broker_ids); do
		if broker_alive "$id"; then
			state=alive
		else
			state=dead
			rc=1
		fi
		printf '%-10s %-6s %-8s %s\n' "broker-$id" "$(broker_port "$id")" "$(broker_pid "$id" || echo -)" "$state"
	done
	if postgres_alive; then
		state=alive
	else
		state=dead
		rc=1
	fi
	local pid port
	pid=$(pg_pid) || pid=
	port=$(pg_port 2>/dev/null) || port=
	printf '%-10s %-6s %-8s %s\n' postgres "${port:--}" "${pid:--}" "$state"
	if registry_alive; then
		state=alive
	else
		state=dead
		rc=1
	fi
	pid=$(registry_pid) || pid=
	port=$(registry_port 2>/dev/null) || port=
	printf '%-10s %-6s %-8s %s\n' registry "${port:--}" "${pid:--}" "$state"
	return "$rc"
}

cmd_env() {
	require_up
	local id dead=()
	for id in $(broker_ids); do
		broker_alive "$id" || dead+=("$id")
	done
	((${#dead[@]} < $(broker_count))) ||
		die "no Kafka broker is running; run scripts/services.sh up"
	((${#dead[@]} == 0)) || warn "broker(s) not running: ${dead[*]}"
	postgres_alive || warn "PostgreSQL is not running"
	registry_alive || warn "the Schema Registry is not running"
	cat -- "$ENV_FILE"
}

cmd_stop_broker() {
	(($# == 1)) || die "usage: scripts/services.sh stop-broker ID"
	local id=$1
	require_up
	require_broker_id "$id"
	if ! broker_alive "$id"; then
		info "broker $id is not running"
		return 0
	fi
	signal_broker "$id" TERM
	if ! wait_until "$STOP_TIMEOUT_S" "broker $id to exit" broker_gone "$id"; then
		warn "sending SIGKILL to broker $id"
		signal_broker "$id" KILL
		wait_until 10 "broker $id to die" broker_gone "$id"
	fi
	info "broker $id stopped"
}

cmd_start_broker() {
	(($# == 1)) || die "usage: scripts/services.sh start-broker ID"
	local id=$1
	require_up
	require_broker_id "$id"
	if broker_alive "$id"; then
		info "broker $id is already running"
		return 0
	fi
	local previous_starts
	previous_starts=$(started_count "$id")
	launch_broker "$id"
	wait_until "$START_TIMEOUT_S" "broker $id to serve" broker_serving "$id" $((previous_starts + 1))
	info "broker $id started on port $(broker_port "$id")"
}

require_postgres() {
	require_up
	pg_state_exists ||
		die "PostgreSQL is not part of the services in $STATE_DIR; run scripts/services.sh down, then up"
}

cmd_stop_postgres() {
	(($# == 0)) || die "usage: scripts/services.sh stop-postgres"
	require_postgres
	if ! postgres_alive; then
		info "PostgreSQL is not running"
		return 0
	fi
	stop_postgres "$STOP_TIMEOUT_S"
	info "PostgreSQL stopped"
}

cmd_start_postgres() {
	(($# == 0)) || die "usage: scripts/services.sh start-postgres"
	require_postgres
	if postgres_alive; then
		info "PostgreSQL is already running"
		return 0
	fi
	launch_postgres
	wait_until "$START_TIMEOUT_S" "PostgreSQL to accept logins" postgres_serving
	info "PostgreSQL started on port $(pg_port)"
}

require_registry() {
	require_up
	registry_state_exists ||
		die "the Schema Registry is not part of the services in $STATE_DIR; run scripts/services.sh down, then up"
}

cmd_stop_registry() {
	(($# == 0)) || die "usage: scripts/services.sh stop-registry"
	require_registry
	if ! registry_alive; then
		info "the Schema Registry is not running"
		return 0
	fi
	stop_registry "$STOP_TIMEOUT_S"
	info "the Schema Registry stopped"
}

cmd_start_registry() {
	(($# == 0)) || die "usage: scripts/services.sh start-registry"
	require_registry
	if registry_alive; then
		info "the Schema Registry is already running"
		return 0
	fi
	local registry_java
	registry_java=$(registry_java)
	launch_registry "$registry_java"
	wait_for_registry
	info "the Schema Registry started on port $(registry_port)"
}

main() {
	local command=${1:-}
	(($# > 0)) && shift
	case $command in
	up) lock_state; cmd_up "$@" ;;
	down) lock_state; cmd_down ;;
	status) cmd_status ;;
	env) cmd_env ;;
	stop-broker) lock_state; cmd_stop_broker "$@" ;;
	start-broker) lock_state; cmd_start_broker "$@" ;;
	stop-postgres) lock_state; cmd_stop_postgres "$@" ;;
	start-postgres) lock_state; cmd_start_postgres "$@" ;;
	stop-registry) lock_state; cmd_stop_registry "$@" ;;
	start-registry) lock_state; cmd_start_registry "$@" ;;
	-h | --help | help) usage ;;
	"")
		usage >&2
		exit 2
		;;
	*)
		usage >&2
		die "unknown command '$command'"
		;;
	esac
}

main "$@"
