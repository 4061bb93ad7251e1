#!/usr/bin/env bash
# Install (if needed) and start a PostgreSQL server on loopback for the run-store tests,
# then print the SQLAlchemy URL to use. Used by .ci/run; needs root (apt-get, su).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
    version=$(ls /usr/lib/postgresql | sort -V | tail -1)
    pg_createcluster "$version" main >&2
fi
pg_lsclusters -h | while read -r ver name port status rest; do
    [ "$status" = online ] || pg_ctlcluster "$ver" "$name" start >&2
done
port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='sufficiency'\"" | grep -q 1 \
    || su postgres -c "psql -q -p $port -c \"CREATE ROLE sufficiency LOGIN PASSWORD 'sufficiency'\"" >&2
su postgres -c "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='sufficiency_test'\"" | grep -q 1 \
    || su postgres -c "createdb -p $port -O sufficiency sufficiency_test" >&2
echo "postgresql+psycopg://sufficiency:sufficiency@127.0.0.1:${port}/sufficiency_test"
