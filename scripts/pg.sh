#!/usr/bin/env bash
# A private PostgreSQL cluster for run.sh and the tests, on 127.0.0.1 only.
#
#   scripts/pg.sh start DIR [PORT] [--fast]   start (initialising DIR on first use); prints the
#                                             Npgsql connection string of database "attendance"
#   scripts/pg.sh stop DIR                    stop it
#   scripts/pg.sh remove DIR                  stop it and delete its files
#   scripts/pg.sh start DIR PORT --standby-of=PRIMARY_DIR
#                                             on first use, DIR becomes a streaming hot standby of the
#                                             running cluster in PRIMARY_DIR (pg_basebackup -R): read-only,
#                                             it replays the primary's changes a moment after they commit
#
# Run as root, the cluster belongs to the postgres account (PostgreSQL refuses root). When that
# account cannot reach DIR (a private home or mktemp folder), no folder above DIR is opened up:
# the cluster's files live in postgres's own home instead, and DIR/cluster points there.
# PORT is preferred (default 5432); when taken, the next free port is used and said.
# --fast turns off durability (fsync), for throwaway test clusters only.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ]; then
    ensure_packages postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  echo "$bin"
}

# PostgreSQL refuses to run as root: use the postgres account the Debian package creates.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: pg.sh start DIR [PORT] [--fast] [--standby-of=PRIMARY_DIR] | pg.sh stop DIR | pg.sh remove DIR"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
BIN=$(pg_bin)

# Where a cluster's own files are (see above): DIR itself, or a folder of postgres's own.
home_of() {
  local d=$1 h=$1
  if [ "$(id -u)" -eq 0 ]; then
    if [ -L "$d/cluster" ]; then
      h=$(dirname "$(readlink "$d/cluster")")
    elif ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      h="$(getent passwd postgres | cut -d: -f6)/attendance-clusters/$(printf %s "$d" | sha256sum | cut -c1-16)"
    fi
  fi
  echo "$h"
}

home=$(home_of "$dir")
if [ "$(id -u)" -eq 0 ]; then
  if [ "$cmd" = start ]; then
    mkdir -p "$home"
    chown postgres "$home" && chmod 700 "$home"
    [ "$home" = "$dir" ] || ln -sfn "$home/cluster" "$dir/cluster"
  fi
fi

case "$cmd" in
stop|remove)
  [ -f "$home/cluster/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$home/cluster" -m fast -w stop >/dev/null || true
  if [ "$cmd" = remove ]; then rm -rf "$home" "$dir"; fi
  ;;
start)
  port=5432; fast=0
  standby_of=""
  for arg in "${@:3}"; do
    case "$arg" in --fast) fast=1 ;; --standby-of=*) standby_of=${arg#--standby-of=} ;; *) port=$arg ;; esac
  done
  if [ ! -f "$home/cluster/PG_VERSION" ] && [ -n "$standby_of" ]; then
    primary_home=$(home_of "$(cd "$standby_of" && pwd)")
    [ -f "$primary_home/cluster/postmaster.pid" ] || die "no running cluster in $standby_of to copy"
    primary_port=$(sed -n 4p "$primary_home/cluster/postmaster.pid")
    cp "$primary_home/password" "$home/password"
    chmod 600 "$home/password"
    # The password reaches pg_basebackup in a passfile of the cluster's owner, not on its command line.
    printf '127.0.0.1:%s:*:attendance:%s\n' "$primary_port" "$(cat "$home/password")" > "$home/pgpass"
    chmod 600 "$home/pgpass"
    [ "$(id -u)" -eq 0 ] && chown postgres "$home/password" "$home/pgpass"
    log "copying the cluster on port $primary_port into $home/cluster as its streaming standby"
    as_owner env PGPASSFILE="$home/pgpass" "$BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U attendance \
      -D "$home/cluster" -R -X stream -c fast >"$home/basebackup.log" 2>&1 \
      || { cat "$home/basebackup.log" >&2; die "pg_basebackup failed"; }
  fi
  if [ ! -f "$home/cluster/PG_VERSION" ]; then
    random_secret > "$home/password"
    chmod 600 "$home/password"
    [ "$(id -u)" -eq 0 ] && chown postgres "$home/password"
    log "initialising a PostgreSQL cluster in $home/cluster"
    as_owner "$BIN/initdb" -D "$home/cluster" -U attendance --pwfile="$home/password" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$home/initdb.log" 2>&1 \
      || { cat "$home/initdb.log" >&2; die "initdb failed"; }
  fi
  password=$(cat "$home/password")

  if as_owner "$BIN/pg_ctl" -D "$home/cluster" status >/dev/null 2>&1; then
    port=$(sed -n 4p "$home/cluster/postmaster.pid")
  else
    if port_in_use "$port"; then
      wanted=$port
      while port_in_use "$port"; do port=$((port + 1)); done
      log "port $wanted is taken$( [ -n "$(who_listens "$wanted")" ] && echo " (by $(who_listens "$wanted"))"); PostgreSQL uses port $port instead"
    fi
    # A port can look free and still not bind (an outgoing connection's own end, or its TIME-WAIT,
    # holds it): then the next port is tried, a few times.
    for attempt in 1 2 3 4 5; do
      opts="-p $port -k $home -c listen_addresses=127.0.0.1 -c max_connections=300"
      [ "$fast" -eq 1 ] && opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      seen=$({ wc -l < "$home/postgres.log"; } 2>/dev/null || echo 0)
      as_owner "$BIN/pg_ctl" -D "$home/cluster" -o "$opts" -l "$home/postgres.log" -w -t 60 start >/dev/null && break
      if [ "$attempt" -lt 5 ] && tail -n +"$((seen + 1))" "$home/postgres.log" | grep -q "could not bind\|could not create any TCP/IP sockets"; then
        log "port $port would not bind; trying $((port + 1))"
        port=$((port + 1))
        while port_in_use "$port"; do port=$((port + 1)); done
        continue
      fi
      tail -20 "$home/postgres.log" >&2
      die "PostgreSQL did not start (log: $home/postgres.log)"
    done
  fi

  export PGPASSWORD="$password"
  # A standby has the primary's databases and takes no writes.
  if [ ! -f "$home/cluster/standby.signal" ] && ! "$BIN/psql" -h 127.0.0.1 -p "$port" -U attendance -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'attendance'" | grep -q 1; then
    "$BIN/psql" -h 127.0.0.1 -p "$port" -U attendance -d postgres -qc "CREATE DATABASE attendance" >/dev/null
  fi
  echo "Host=127.0.0.1;Port=$port;Database=attendance;Username=attendance;Password=$password"
  ;;
*)
  die "unknown command '$cmd'"
  ;;
esac
