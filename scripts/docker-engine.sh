#!/usr/bin/env bash
# A private Docker engine for the docker tests: Debian's dockerd with its
# own data root, exec root, pid file and socket in one throwaway directory,
# no bridge and no iptables rules, so that containers can only use the
# host's network (`--network host`). Any other docker daemon is left alone,
# and only the pid recorded here is ever signalled.
#
# The base image the Dockerfile names (debian:bookworm-slim) is built once
# with debootstrap from Debian's packages and cached as a `docker save`
# tarball; no image is ever pulled (no registry serves these machines).
set -euo pipefail

# shellcheck source=scripts/lib/common.sh
source "$(dirname -- "${BASH_SOURCE[0]}")/lib/common.sh"

STATE_DIR=${RDCONNECT_DOCKER_DIR:-$RDCONNECT_ROOT/.docker}
STATE_DIR=$(realpath -m -- "$STATE_DIR")
readonly STATE_DIR
readonly SOCKET=$STATE_DIR/docker.sock PID_FILE=$STATE_DIR/docker.pid
readonly EXEC_ROOT=$STATE_DIR/exec DATA_ROOT=$STATE_DIR/data
readonly LOG=$STATE_DIR/dockerd.log
# Debian's client: /usr/local/bin/docker, where present, lacks the builder
# that this daemon's API version serves.
readonly DOCKER=/usr/bin/docker
readonly BASE_IMAGE=debian:bookworm-slim
readonly BASE_CACHE=$RDCONNECT_CACHE_DIR/docker-base/debian-bookworm-slim.image.tar
readonly START_TIMEOUT_S=60 STOP_TIMEOUT_S=40

usage() {
	cat <<EOF
usage: scripts/docker-engine.sh COMMAND

  up      start the private dockerd (state in $STATE_DIR), wait until it
          answers, and load the base image $BASE_IMAGE (built with
          debootstrap and cached in $BASE_CACHE the first time)
  down    remove its containers, stop it, and delete its state
  env     print DOCKER_HOST and DOCKER (the client to use) to source
EOF
}

docker_cmd() { DOCKER_HOST=unix://$SOCKET "$DOCKER" "$@"; }
daemon_pid() { [[ -f $PID_FILE ]] && cat -- "$PID_FILE"; }
containerd_pid() { cat -- "$EXEC_ROOT/containerd/containerd.pid" 2>/dev/null; }
answers() { docker_cmd info >/dev/null 2>&1; }

# The daemon's own config file keeps its trust key out of /etc/docker.
write_daemon_config() {
	printf '{ "deprecated-key-path": "%s/key.json" }\n' "$STATE_DIR" >"$STATE_DIR/daemon.json"
}

start_daemon() {
	mkdir -p -- "$STATE_DIR"
	write_daemon_config
	# A proxy that refuses: should anything ever ask a registry, it fails
	# at once on loopback instead of reaching the Internet. Builds and
	# containers do not inherit it (apt in a RUN step reaches Debian's
	# mirror as the host does).
	setsid env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY= \
		/usr/sbin/dockerd --config-file "$STATE_DIR/daemon.json" \
		--bridge=none --iptables=false --ip6tables=false \
		--data-root "$DATA_ROOT" --exec-root "$EXEC_ROOT" \
		--pidfile "$PID_FILE" -H "unix://$SOCKET" \
		>"$LOG" 2>&1 </dev/null &
	local launched=$!
	daemon_alive_or_die() {
		kill -0 "$launched" 2>/dev/null ||
			die "dockerd exited while starting; the end of $LOG:$(printf '\n%s' "$(tail -n 20 -- "$LOG")")"
		answers
	}
	wait_until "$START_TIMEOUT_S" "dockerd to answer on $SOCKET" daemon_alive_or_die ||
		die "dockerd did not answer within ${START_TIMEOUT_S}s (log: $LOG)"
}

# The rootfs as Debian's official image has it, with this machine's apt
# sources and fetch settings; no services started by package scripts, and
# apt cleaning up after itself.
prepare_rootfs() {
	local root=$1
	rm -f -- "$root/etc/apt/sources.list"
	cp -- /etc/apt/sources.list.d/*.sources "$root/etc/apt/sources.list.d/" 2>/dev/null ||
		cp -- /etc/apt/sources.list "$root/etc/apt/sources.list"
	# How this machine's apt reaches its mirror (proxies, a snapshot's
	# validity): the files that set Acquire:: options, and nothing else.
	local conf
	for conf in /etc/apt/apt.conf.d/*; do
		grep -q '^[[:space:]]*Acquire::' "$conf" && cp -- "$conf" "$root/etc/apt/apt.conf.d/"
	done
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 -- "$root/usr/sbin/policy-rc.d"
	printf '%s\n' 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb || true"; };' \
		'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' \
		>"$root/etc/apt/apt.conf.d/docker-clean"
	: >"$root/etc/resolv.conf"
	: >"$root/etc/hostname"
	rm -rf -- "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/*
	mkdir -p -- "$root/var/lib/apt/lists/partial"
}

build_base_image() {
	local root=$STATE_DIR/rootfs started=$EPOCHSECONDS
	info "building $BASE_IMAGE with debootstrap from $(debian_mirror) (once; cached in $BASE_CACHE)"
	rm -rf -- "$root"
	debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$STATE_DIR/debootstrap.log" 2>&1 ||
		die "debootstrap failed (log: $STATE_DIR/debootstrap.log)"
	prepare_rootfs "$root"
	tar --numeric-owner -C "$root" -c . | docker_cmd import --change 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
	rm -rf -- "$root"
	mkdir -p -- "$(dirname -- "$BASE_CACHE")"
	docker_cmd save -o "$BASE_CACHE.partial" "$BASE_IMAGE"
	mv -- "$BASE_CACHE.partial" "$BASE_CACHE"
	info "$BASE_IMAGE built in $((EPOCHSECONDS - started))s"
}

ensure_base_image() {
	docker_cmd image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
	if [[ -f $BASE_CACHE ]]; then
		docker_cmd load -q -i "$BASE_CACHE" >/dev/null
	else
		build_base_image
	fi
}

cmd_up() {
	require_cmd /usr/sbin/dockerd "install Debian's docker.io (scripts/bootstrap.sh does)"
	require_cmd debootstrap "install Debian's debootstrap (scripts/bootstrap.sh does)"
	((EUID == 0)) || die "dockerd needs root"
	if answers; then
		info "dockerd already answers on $SOCKET"
	else
		start_daemon
	fi
	ensure_base_image
	cmd_env
}

daemon_gone() {
	! kill -0 "$1" 2>/dev/null && { [[ -z $2 ]] || ! kill -0 "$2" 2>/dev/null; }
}

cmd_down() {
	local pid containerd
	pid=$(daemon_pid || true)
	if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
		containerd=$(containerd_pid || true)
		local ids
		ids=$(docker_cmd ps -aq 2>/dev/null || true)
		[[ -z $ids ]] || docker_cmd rm -f $ids >/dev/null 2>&1 || true
		kill -TERM "$pid"
		wait_until "$STOP_TIMEOUT_S" "dockerd ($pid) and its containerd to exit" \
			daemon_gone "$pid" "$containerd" ||
			die "dockerd ($pid) did not stop; its log: $LOG"
	fi
	# The host network namespace's bind mount outlives the daemon.
	if mountpoint -q -- "$EXEC_ROOT/netns/default" 2>/dev/null; then
		umount -- "$EXEC_ROOT/netns/default"
	fi
	rm -rf -- "$STATE_DIR"
}

cmd_env() {
	printf 'DOCKER_HOST=unix://%s\nDOCKER=%s\n' "$SOCKET" "$DOCKER"
}

main() {
	case ${1:-} in
	up) cmd_up ;;
	down) cmd_down ;;
	env) cmd_env ;;
	-h | --help) usage ;;
	*)
		usage >&2
		exit 2
		;;
	esac
}

main "$@"
