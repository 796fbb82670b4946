#!/usr/bin/env bash
# Benchmarks (bench/README.md): builds in Release, starts a private PostgreSQL cluster with production
# settings (durable commits), runs every scenario against the three services as real processes,
# writes bench/results/<date>.{md,json,svg,png} and puts the targets table into README.md.
#
#   scripts/bench.sh           the full run, about 10 minutes on 2 cores
#   scripts/bench.sh --smoke   tiny numbers in under a minute, timing targets not judged; its report
#                              goes to TestResults/bench-smoke (scripts/test.sh runs it as a test)
#
# BENCH_DATABASE_CONNECTION_STRING: use that PostgreSQL server (it must allow CREATE DATABASE)
# instead of starting a private cluster. Exits non-zero when the run breaks or loses anything
# (errors, dropped frames); a missed timing target is reported, with its figure, not fatal.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

smoke=0
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    *) die "usage: scripts/bench.sh [--smoke]" ;;
  esac
done

ensure_dotnet
# wrk drives the REST scenarios; pgbench (part of the server package) is the punch baseline;
# chromium turns the SVG plot into a PNG.
ensure_packages postgresql wrk chromium

# 10,000 sockets take 10,000 descriptors in the harness and as many in the reporter.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge 12000 ] || [ "$smoke" -eq 1 ] || log "warning: only $(ulimit -n) open files allowed; the 10,000-socket scenario needs about 10,100"

log "building (Release)"
dotnet build AttendanceSystem.sln -c Release --nologo -v quiet

if [ -z "${BENCH_DATABASE_CONNECTION_STRING:-}" ]; then
  BENCH_PG_DIR=$(mktemp -d)
  trap 'bash "$ROOT_DIR/scripts/pg.sh" remove "$BENCH_PG_DIR/pg" || true; rm -rf "$BENCH_PG_DIR"' EXIT
  if [ "$smoke" -eq 1 ]; then
    BENCH_DATABASE_CONNECTION_STRING=$(bash scripts/pg.sh start "$BENCH_PG_DIR/pg" 26432 --fast)
  else
    BENCH_DATABASE_CONNECTION_STRING=$(bash scripts/pg.sh start "$BENCH_PG_DIR/pg" 26432)
  fi
fi
export BENCH_DATABASE_CONNECTION_STRING

harness=(dotnet bench/AttendanceSystem.Bench/bin/Release/net10.0/AttendanceSystem.Bench.dll)
if [ "$smoke" -eq 1 ]; then
  out="$ROOT_DIR/TestResults/bench-smoke"
  "${harness[@]}" --smoke --out "$out"
else
  out="$ROOT_DIR/bench/results"
  "${harness[@]}" --out "$out" --readme README.md
fi

# A PNG of the newest plot, for viewers that show no SVG.
svg=$(ls -t "$out"/*.svg 2>/dev/null | head -1 || true)
if [ -n "$svg" ] && command -v chromium >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --window-size=980,440 \
    --screenshot="${svg%.svg}.png" "file://$svg" >/dev/null 2>&1 || log "could not render ${svg%.svg}.png"
fi
