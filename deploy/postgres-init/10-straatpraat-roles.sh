#!/bin/sh
# Runs once, when the postgres container creates its data folder (docker-entrypoint-initdb.d).
# Straatpraat connects as `straatpraat`, an ordinary role that owns the straatpraat database and
# nothing else; exports and the results page switch to `straatpraat_monitor_reader`, which may read
# the monitor schema only (migration 0008 grants that). The superuser is for the operator alone.
set -eu
: "${STRAATPRAAT_DB_PASSWORD:?set STRAATPRAAT_DB_PASSWORD (see .env.example)}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_password="$STRAATPRAAT_DB_PASSWORD" <<'SQL'
create role straatpraat login password :'app_password';
create role straatpraat_monitor_reader nologin;
grant straatpraat_monitor_reader to straatpraat;
alter database straatpraat owner to straatpraat;
revoke all on database straatpraat from public;
grant connect, temporary on database straatpraat to straatpraat;
SQL
