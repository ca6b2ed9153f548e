#!/usr/bin/env bash
# Makes the secret files docker-compose.yml mounts (docker/secrets/, which
# git ignores): a random PostgreSQL password, the DSN rdconnect reads with
# it, and Grafana's admin password. Existing files are kept; nothing is
# printed but their paths.
set -euo pipefail
cd -- "$(dirname -- "${BASH_SOURCE[0]}")"
# The directory keeps other users of this machine out; the files must be
# readable by the containers' own users (rdconnect is uid 10001, postgres
# 999), which compose's file secrets mount with these files' modes.
mkdir -p secrets
chmod 700 secrets
umask 022

# new_secret FILE: 32 random URL-safe characters into FILE, unless it exists.
new_secret() {
	[[ -s $1 ]] || head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$1"
}

new_secret secrets/pg_password
new_secret secrets/grafana_admin_password
if [[ ! -s secrets/pg_dsn ]]; then
	printf 'postgresql://rdconnect:%s@127.0.0.1:55432/rdconnect\n' \
		"$(<secrets/pg_password)" >secrets/pg_dsn
fi
printf 'secrets in %s: pg_password, pg_dsn, grafana_admin_password\n' "$PWD/secrets"
