#!/usr/bin/env bash
# Runs the whole system on this machine: PostgreSQL (the configured one, or a private cluster in
# .data/), then every service in Release. Prints the URLs; Ctrl-C stops everything it started.
#
# Settings come from the environment (see .env.example); a .env file at the root is read too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT_DIR"

DATA_DIR="$ROOT_DIR/.data"
mkdir -p "$DATA_DIR"

# name  project  ports (the first answers /health/ready); AttendanceSystem.Services.slnf lists the same projects.
SERVICES=(
  "auth src/Auth/AttendanceSystem.Auth.csproj 8001"
  "attendance src/Attendance/AttendanceSystem.Attendance.csproj 8002 50051"
  "reporter src/Reporter/AttendanceSystem.Reporter.csproj 8103"
  "client src/ClientHost/AttendanceSystem.ClientHost.csproj 5500"
)

if [ -f .env ]; then
  log "reading settings from .env"
  set -a; source .env; set +a
fi

ensure_dotnet

for entry in "${SERVICES[@]}"; do
  read -r name _ ports <<<"$entry"
  for port in $ports; do
    if port_in_use "$port"; then
      holder=$(who_listens "$port")
      die "port $port (needed by $name) is already in use${holder:+ by $holder}; stop that process first"
    fi
  done
done

PIDS=()
PG_STARTED=0
stop_all() {
  trap "" INT TERM   # a second Ctrl-C must not cut the clean-up short
  trap - EXIT
  log "stopping"
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$PG_STARTED" -eq 1 ]; then
    [ -n "${pg_start:-}" ] && wait "$pg_start" 2>/dev/null
    bash scripts/pg.sh stop "$DATA_DIR/postgres"
  fi
  exit 0
}
trap stop_all INT TERM EXIT

# The private cluster starts while the services build: both take seconds, neither needs the other.
if [ -z "${DATABASE_CONNECTION_STRING:-}" ]; then
  bash scripts/pg.sh start "$DATA_DIR/postgres" 5432 >"$DATA_DIR/connection-string" 2>"$DATA_DIR/pg-start.log" &
  pg_start=$!
  PG_STARTED=1
fi

# One build of every service (shared projects compile once); the checks and analyzers already ran
# in the test build, so they are left out of this one.
log "building the services (Release)"
dotnet build AttendanceSystem.Services.slnf -c Release -p:RunAnalyzers=false --nologo -v quiet >"$DATA_DIR/build.log" 2>&1 \
  || { cat "$DATA_DIR/build.log" >&2; die "the build failed"; }

if [ "$PG_STARTED" -eq 1 ]; then
  wait "$pg_start" || { cat "$DATA_DIR/pg-start.log" >&2; die "PostgreSQL did not start"; }
  cat "$DATA_DIR/pg-start.log" >&2
  DATABASE_CONNECTION_STRING=$(cat "$DATA_DIR/connection-string")
  rm -f "$DATA_DIR/connection-string"
  pg_port=$(sed -n 's/.*Port=\([0-9]*\).*/\1/p' <<<"$DATABASE_CONNECTION_STRING")
  log "PostgreSQL: private cluster in .data/postgres on 127.0.0.1:$pg_port"
else
  log "PostgreSQL: using DATABASE_CONNECTION_STRING"
fi
export DATABASE_CONNECTION_STRING

# No default secrets: generate them once and keep them in the git-ignored data folder.
if [ -z "${JWT_SECRET:-}" ]; then
  [ -s "$DATA_DIR/jwt-secret" ] || { random_secret > "$DATA_DIR/jwt-secret"; chmod 600 "$DATA_DIR/jwt-secret"; }
  JWT_SECRET=$(cat "$DATA_DIR/jwt-secret")
fi
if [ -z "${ADMIN_USERNAME:-}" ] || [ -z "${ADMIN_PASSWORD:-}" ]; then
  ADMIN_USERNAME=admin
  [ -s "$DATA_DIR/admin-password" ] || { random_secret | head -c 20 > "$DATA_DIR/admin-password"; chmod 600 "$DATA_DIR/admin-password"; }
  ADMIN_PASSWORD=$(cat "$DATA_DIR/admin-password")
fi
export JWT_SECRET ADMIN_USERNAME ADMIN_PASSWORD
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
# The client host on 5500 proxies the page's calls from this machine: believe its X-Forwarded-For.
export KNOWN_PROXIES="${KNOWN_PROXIES:-127.0.0.1}"

for entry in "${SERVICES[@]}"; do
  read -r name project _ <<<"$entry"
  assembly=$(basename "$project" .csproj)
  (cd "$(dirname "$project")/bin/Release/net10.0" && exec dotnet "$assembly.dll") &
  PIDS+=($!)
done

for entry in "${SERVICES[@]}"; do
  read -r name _ port _ <<<"$entry"
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "$name stopped during start-up (see its log above)"; done
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 || die "$name did not become ready on port $port"
done

cat <<MSG

Attendance system is running:
  client      http://127.0.0.1:5500/index.html   (open this in a browser)
  auth        http://localhost:8001   (POST /register, POST /login, GET /employees)
  attendance  http://localhost:8002   (POST /attendance, GET /attendance/{employee_id}?date=YYYY-MM-DD, …)
  gRPC        localhost:50051         (grpcurl -plaintext localhost:50051 list)
  reporter    ws://localhost:8103/ws?token=<JWT>   (wscat -c "ws://localhost:8103/ws?token=<JWT>")
Admin: $ADMIN_USERNAME / $ADMIN_PASSWORD
Press Ctrl-C to stop.

MSG
wait -n "${PIDS[@]}" || true
log "a service stopped unexpectedly"
stop_all
