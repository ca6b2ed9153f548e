#!/usr/bin/env bash
# The docker/ deliverables, for real: docker/Dockerfile built by a private
# Debian dockerd (scripts/docker-engine.sh) and run with --network host
# against the Kafka and PostgreSQL of scripts/services.sh, the uuid-to-
# postgres flow into a table of its own; then the compose file, the
# Prometheus config and alert rules, and every metric the dashboard and the
# rules name, against the /metrics of that running container.
#
# Needs KAFKA_BOOTSTRAP and PG_DSN (scripts/services.sh env) and root.
# Prints the image size and the build time; exit 0 only when every check
# passed.
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"

readonly RECORDS=500
readonly IMAGE=rdconnect:docker-test
readonly ROWS_TIMEOUT_S=120 HEALTH_TIMEOUT_S=90
: "${KAFKA_BOOTSTRAP:?set KAFKA_BOOTSTRAP (scripts/services.sh env)}"
: "${PG_DSN:?set PG_DSN (scripts/services.sh env)}"

SCRATCH=$(mktemp -d -t rdconnect-docker.XXXXXX)
readonly SCRATCH
export RDCONNECT_DOCKER_DIR=$SCRATCH/engine
readonly TABLE=docker_test_$$ CONTAINER=rdconnect-docker-test-$$
DOCKER=/usr/bin/docker
failures=0

# check WHAT COMMAND...: runs COMMAND; a failure is counted and said, and the
# test goes on to the next check.
check() {
	local what=$1
	shift
	if "$@"; then
		info "ok: $what"
	else
		warn "FAILED: $what"
		failures=$((failures + 1))
	fi
}

cleanup() {
	"$DOCKER" rm -f "$CONTAINER" >/dev/null 2>&1 || true
	"$RDCONNECT_ROOT/scripts/docker-engine.sh" down || warn "the private dockerd did not stop cleanly"
	psql_do "DROP TABLE IF EXISTS public.$TABLE" >/dev/null 2>&1 || true
	rm -rf -- "$SCRATCH"
}

psql_do() { "$PG_BIN_DIR/psql" "$PG_DSN" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

start_engine() {
	local env
	env=$("$RDCONNECT_ROOT/scripts/docker-engine.sh" up)
	DOCKER_HOST=$(sed -n 's/^DOCKER_HOST=//p' <<<"$env")
	export DOCKER_HOST
	DOCKER=$(sed -n 's/^DOCKER=//p' <<<"$env")
}

build_image() {
	local started=$EPOCHSECONDS
	# The base image must be local: a FROM that is not would ask Docker Hub.
	"$DOCKER" image inspect debian:bookworm-slim >/dev/null
	"$DOCKER" build --network host -q -f "$RDCONNECT_ROOT/docker/Dockerfile" \
		-t "$IMAGE" "$RDCONNECT_ROOT" >"$SCRATCH/build.log" 2>&1 ||
		{ tail -n 40 "$SCRATCH/build.log" >&2; die "docker build failed"; }
	info "image built in $((EPOCHSECONDS - started))s, $(("$("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE")" / 1000000)) MB"
}

# Every binary and plugin of the image finds its libraries.
libraries_resolve() {
	local missing
	missing=$("$DOCKER" run --rm --network host --entrypoint sh "$IMAGE" -c \
		'ldd /opt/rdconnect/bin/* /opt/rdconnect/lib/rdconnect/plugins/*.so' | grep 'not found' || true)
	[[ -z $missing ]] || { printf '%s\n' "$missing" >&2; return 1; }
}

write_config() {
	cat >"$SCRATCH/rdconnect.toml" <<EOF
[host]
http_listen = "127.0.0.1:\${env:RDCONNECT_HTTP_PORT}"
status_interval_ms = 1000

[kafka]
"bootstrap.servers" = "\${env:KAFKA_BOOTSTRAP}"

[[source]]
name = "uuids"
plugin = "uuid_source"
topic = "$TABLE"
partitioner = "uuid_mod"
[source.topic_creation]
partitions = 2
replication_factor = 1
[source.config]
count = $RECORDS

[[sink]]
name = "postgres"
plugin = "postgres_sink"
topics = ["$TABLE"]
[sink.config]
dsn = "\${file:/run/secrets/pg_dsn}"
table = "$TABLE"
EOF
	printf '%s\n' "$PG_DSN" >"$SCRATCH/pg_dsn"
	chmod 644 "$SCRATCH/rdconnect.toml" "$SCRATCH/pg_dsn"
}

run_container() {
	"$DOCKER" run -d --name "$CONTAINER" --network host \
		-e KAFKA_BOOTSTRAP="$KAFKA_BOOTSTRAP" -e RDCONNECT_HTTP_PORT="$HTTP_PORT" \
		-v "$SCRATCH/rdconnect.toml:/etc/rdconnect/rdconnect.toml:ro" \
		-v "$SCRATCH/pg_dsn:/run/secrets/pg_dsn:ro" \
		"$IMAGE" >/dev/null
}

rows_arrived() {
	[[ $(psql_do "SELECT count(*) FROM public.$TABLE" 2>/dev/null) == "$RECORDS" ]]
}

healthy() {
	[[ $("$DOCKER" inspect --format '{{.State.Health.Status}}' "$CONTAINER") == healthy ]]
}

healthz_answers() { curl -fsS "http://127.0.0.1:$HTTP_PORT/healthz" >/dev/null; }

runs_as_non_root() {
	local uid
	uid=$("$DOCKER" exec "$CONTAINER" id -u)
	info "the host runs as uid $uid"
	[[ $uid != 0 ]]
}

# The metric names a PromQL file mentions (histograms by their _bucket).
named_metrics() { grep -ohE 'rdconnect_[a-z_]+' "$@" | sort -u; }

# Every metric the dashboard and the alert rules use, the running host serves.
queries_use_served_metrics() {
	local served missing=0 name
	served=$(curl -fsS "http://127.0.0.1:$HTTP_PORT/metrics" | grep -oE '^rdconnect_[a-z_]+' | sort -u)
	while read -r name; do
		if ! grep -qx "$name" <<<"$served"; then
			warn "$name is used by docker/ but not served by /metrics"
			missing=1
		fi
	done < <(named_metrics "$RDCONNECT_ROOT/docker/grafana/dashboards/"*.json \
		"$RDCONNECT_ROOT/docker/prometheus/alerts.yml")
	((missing == 0))
}

stops_cleanly() {
	"$DOCKER" stop -t 30 "$CONTAINER" >/dev/null
	[[ $("$DOCKER" inspect --format '{{.State.ExitCode}}' "$CONTAINER") == 0 ]] ||
		{ "$DOCKER" logs --tail 30 "$CONTAINER" >&2; return 1; }
}

# The compose file as Debian's docker-compose reads it, with made-up secrets.
compose_is_valid() {
	cp -r -- "$RDCONNECT_ROOT/docker" "$SCRATCH/compose"
	"$SCRATCH/compose/init-secrets.sh" >/dev/null
	docker-compose -f "$SCRATCH/compose/docker-compose.yml" config -q
}

# The stack's own config, as the image reads it with the compose secret.
stack_config_validates() {
	"$DOCKER" run --rm --network host \
		-v "$SCRATCH/compose/rdconnect.toml:/etc/rdconnect/rdconnect.toml:ro" \
		-v "$SCRATCH/compose/secrets/pg_dsn:/run/secrets/pg_dsn:ro" \
		"$IMAGE" validate /etc/rdconnect/rdconnect.toml >/dev/null
}

prometheus_config_is_valid() {
	promtool check config "$RDCONNECT_ROOT/docker/prometheus/prometheus.yml" >/dev/null &&
		promtool check rules "$RDCONNECT_ROOT/docker/prometheus/alerts.yml" >/dev/null
}

main() {
	((EUID == 0)) || die "the docker test needs root (for dockerd)"
	trap cleanup EXIT
	start_engine
	build_image
	check "every library of the image resolves" libraries_resolve
	HTTP_PORT=$(pick_free_ports 1)
	write_config
	run_container
	check "$RECORDS rows in public.$TABLE" \
		wait_until "$ROWS_TIMEOUT_S" "$RECORDS rows in $TABLE" rows_arrived
	check "/healthz answers" healthz_answers
	check "the HEALTHCHECK says healthy" \
		wait_until "$HEALTH_TIMEOUT_S" "the container to be healthy" healthy
	check "the host does not run as root" runs_as_non_root
	check "the dashboard and the alert rules use only served metrics" queries_use_served_metrics
	check "the container stops with exit code 0" stops_cleanly
	check "docker-compose config accepts docker-compose.yml" compose_is_valid
	check "the image validates docker/rdconnect.toml" stack_config_validates
	check "promtool accepts the Prometheus config and rules" prometheus_config_is_valid
	((failures == 0)) || die "$failures check(s) failed"
	info "passed"
}

main "$@"
