#!/usr/bin/env bash
# Makes the PostgreSQL server the tests use reachable: postgres://postgres@127.0.0.1:5432/postgres with trust
# auth for 127.0.0.1 (the default of GATEHOUSE_TEST_POSTGRES). On Debian: installs the `postgresql` package when
# no server is installed, creates a cluster when there is none, lets the `postgres` role in from 127.0.0.1
# without a password, starts the cluster, and waits until it answers. Safe to run again: when the server already
# answers as expected it changes nothing. Needs root (or sudo) for the install and the cluster.
# Usage: bash scripts/postgres.sh        (.ci/run calls it)
set -euo pipefail

PORT=5432
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "postgres.sh: run as root (or install sudo)" >&2; exit 1; }
  SUDO=(sudo)
fi

answers() { psql "postgres://postgres@127.0.0.1:${PORT}/postgres" -tAc 'select 1' >/dev/null 2>&1; }

if command -v psql >/dev/null 2>&1 && answers; then
  echo "PostgreSQL answers at postgres://postgres@127.0.0.1:${PORT}/postgres"
  exit 0
fi

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing Debian's postgresql"
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# The newest installed server version; its cluster "main" is the one the tests use.
VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if [ ! -d "/etc/postgresql/${VERSION}/main" ]; then
  "${SUDO[@]}" pg_createcluster --port "${PORT}" "${VERSION}" main >/dev/null
fi
CONF=/etc/postgresql/${VERSION}/main
CLUSTER_PORT=$(pg_lsclusters -h | awk -v v="${VERSION}" '$1 == v && $2 == "main" { print $3 }')
if [ "${CLUSTER_PORT}" != "${PORT}" ]; then
  echo "postgres.sh: cluster ${VERSION}/main listens on port ${CLUSTER_PORT}, not ${PORT}" >&2
  exit 1
fi

# Trust the postgres role from 127.0.0.1 (first matching line wins, so it goes on top). Test machines only.
HBA_LINE="host    all             postgres        127.0.0.1/32            trust"
FIRST_METHOD=$("${SUDO[@]}" awk '$1 == "host" && ($2 == "all" || $2 == "postgres") && ($3 == "all" || $3 == "postgres") && $4 == "127.0.0.1/32" { print $5; exit }' "${CONF}/pg_hba.conf")
if [ "${FIRST_METHOD}" != "trust" ]; then
  echo "pg_hba.conf: trusting the postgres role from 127.0.0.1"
  "${SUDO[@]}" sed -i "1i ${HBA_LINE}" "${CONF}/pg_hba.conf"
fi

# --skip-systemctl-redirect: start the cluster directly, also where systemd is not running (containers, CI).
if pg_lsclusters -h | awk -v v="${VERSION}" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
  "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "${VERSION}" main reload
else
  "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "${VERSION}" main start
fi

# pg_ctlcluster start waits for the server; still poll (bounded) until it accepts a query.
for _ in $(seq 1 60); do
  if answers; then
    echo "PostgreSQL ${VERSION} answers at postgres://postgres@127.0.0.1:${PORT}/postgres"
    exit 0
  fi
  sleep 0.5
done
echo "postgres.sh: PostgreSQL ${VERSION} did not answer at 127.0.0.1:${PORT}; see /var/log/postgresql/postgresql-${VERSION}-main.log" >&2
exit 1
