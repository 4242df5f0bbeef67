#!/bin/sh
# Entrypoint of the stand-in PostgreSQL image: the official image's contract, for the parts the lab uses.
# POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_HOST_AUTH_METHOD, POSTGRES_INITDB_ARGS, PGDATA; port 5432 on all interfaces;
# runs as the postgres user; initializes an empty PGDATA once and keeps an existing one.
set -e
: "${PGDATA:=/var/lib/postgresql/18/docker}"
export PGDATA

case "$1" in -*) set -- postgres "$@" ;; esac

if [ "$1" = postgres ] && [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
  chmod 700 "$PGDATA"
  exec su -s /bin/sh postgres -c 'exec "$0" "$@"' -- "$0" "$@"
fi

if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    echo "stand-in postgres: POSTGRES_PASSWORD is not set (the official image refuses too)" >&2
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as in the official image
  initdb -D "$PGDATA" --username="${POSTGRES_USER:-postgres}" --pwfile="$pwfile" --encoding=UTF8 --locale=C $POSTGRES_INITDB_ARGS
  rm -f "$pwfile"
  printf "\nhost all all all %s\n" "${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >> "$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  echo "stand-in postgres: initialized $PGDATA"
fi

exec "$@"
