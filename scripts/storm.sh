#!/usr/bin/env bash
# The storm: 20 writers punch while the reporter and attendance are killed (-9) and restarted and
# PostgreSQL restarts; WebSocket and gRPC clients resume from their cursors; then everything each
# received is compared with the database. STORM_SECONDS sets its length (default 90).
# Ends with the figures and one line "N passed, N failed, N skipped".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

ensure_dotnet
ensure_packages postgresql
export STORM_SECONDS="${STORM_SECONDS:-90}"
RESULTS="$ROOT_DIR/TestResults/storm"
rm -rf "$RESULTS" "$ROOT_DIR/TestResults/reliability-figures.txt"
mkdir -p "$RESULTS"

use_test_database

log "building"
dotnet build AttendanceSystem.sln -c Release --nologo -v quiet
log "storm for ${STORM_SECONDS} s"
status=0
dotnet test tests/AttendanceSystem.Reliability.Tests -c Release --no-build --nologo --filter "Category=Storm" \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" || status=$?

report_tests "$RESULTS" "$status" "$ROOT_DIR/TestResults/reliability-figures.txt" "Storm figures:"
