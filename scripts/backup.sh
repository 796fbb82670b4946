#!/usr/bin/env bash
# Backs up the system's database: scripts/backup.sh [FILE]
#
# A pg_dump in custom format (compressed; restore with scripts/restore.sh) of the configured database
# (DATABASE_CONNECTION_STRING, from the environment or .env) or of scripts/run.sh's private cluster.
# FILE defaults to .data/backups/attendance-<UTC time>.dump. Safe while the system runs: the dump is
# one consistent snapshot. Prints the file written.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

file=${1:-"$ROOT_DIR/.data/backups/attendance-$(date -u +%Y%m%dT%H%M%SZ).dump"}
mkdir -p "$(dirname "$file")"
BIN=$(pg_tools)
pg_env "$(configured_database)"
log "backing up database $PGDATABASE on $PGHOST:${PGPORT:-5432}"
partial="$file.partial"
# Written aside and moved when whole: a failed dump never leaves a file that looks like a backup.
"$BIN/pg_dump" --format=custom --compress=6 --no-owner --file="$partial"
chmod 600 "$partial"
mv "$partial" "$file"
log "backup written: $file ($(du -h "$file" | cut -f1))"
echo "$file"
