#!/usr/bin/env bash
# Restores a backup from scripts/backup.sh: scripts/restore.sh FILE
#
# Into the configured database (DATABASE_CONNECTION_STRING, from the environment or .env) or the
# private cluster of scripts/run.sh, which must be empty: create a new database (or stop the system
# and move .data/postgres aside), point the setting at it, restore, then start the services.
# All or nothing: one transaction, stopped at the first error.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

file=${1:-}
[ -n "$file" ] || die "usage: scripts/restore.sh FILE (a backup written by scripts/backup.sh)"
[ -f "$file" ] || die "no backup at $file"
BIN=$(pg_tools)
"$BIN/pg_restore" --list "$file" >/dev/null 2>&1 || die "$file is not a backup from scripts/backup.sh (pg_dump custom format)"
pg_env "$(configured_database)"

tables=$("$BIN/psql" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
[ "$tables" = 0 ] || die "database $PGDATABASE on $PGHOST:${PGPORT:-5432} is not empty ($tables tables): restore into an empty database"

log "restoring $file into database $PGDATABASE on $PGHOST:${PGPORT:-5432}"
"$BIN/pg_restore" --no-owner --exit-on-error --single-transaction --dbname="$PGDATABASE" "$file"
log "restored: $("$BIN/psql" -tAc "SELECT count(*) FROM attendance_records") records, $("$BIN/psql" -tAc "SELECT count(*) FROM employees") people"
