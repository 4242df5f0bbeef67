#!/usr/bin/env bash
# Builds the stand-in images the container-mode tests run, from this machine's Debian packages, because no registry
# is reachable here: localhost/voketag-lab/library/redis:8.6 and localhost/voketag-lab/library/postgres:18.3 — the
# names Aspire asks for (docker.io/library/…) under a lab-only registry, so they never shadow the official images.
# The tests point the lab at them with Lab:ImageRegistry=localhost/voketag-lab; users' labs pull the official ones.
#
# Each image is FROM scratch: the server binaries, the libraries ldd names, a static busybox as /bin/sh.
# Needs: podman (or docker with an engine), redis-server, PostgreSQL server binaries, busybox (busybox-static).
# Usage: tests/containers/build-images.sh [engine]   (default: podman)
set -euo pipefail
cd "$(dirname "$0")"
engine="${1:-podman}"
registry="localhost/voketag-lab/library"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
pg_version="$(basename "$(dirname "$pg_bin")")"

# copy FILE… into ROOT at the same paths, with every shared library they need
copy_with_libraries() {
  local root="$1"; shift
  local file library
  for file in "$@"; do
    mkdir -p "$root$(dirname "$file")"
    cp -L "$file" "$root$file"
    for library in $(ldd "$file" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
      mkdir -p "$root$(dirname "$library")"
      [ -e "$root$library" ] || cp -L "$library" "$root$library"
    done
  done
}

base_root() {
  local root="$1"
  mkdir -p "$root/bin" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  copy_with_libraries "$root" "$(readlink -f /bin/busybox)"  # static (busybox-static) or with its libraries
  [ -e "$root/bin/busybox" ] || ln -sf "$(readlink -f /bin/busybox)" "$root/bin/busybox"
  for applet in sh id su chown chmod mkdir mktemp rm cat printf env ls echo; do
    ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\nredis:x:998:998:Redis:/data:/bin/sh\n' > "$root/etc/passwd"
  printf 'root:x:0:\npostgres:x:999:\nredis:x:998:\n' > "$root/etc/group"
}

echo "build-images: redis (from $(command -v redis-server))"
root="$work/redis/root"
base_root "$root"
copy_with_libraries "$root" "$(readlink -f "$(command -v redis-server)")"
ln -sf "$(readlink -f "$(command -v redis-server)")" "$root/bin/redis-server"
mkdir -p "$root/data"
cat > "$work/redis/Containerfile" <<'CONTAINERFILE'
FROM scratch
COPY root/ /
ENV PATH=/bin:/usr/bin
WORKDIR /data
EXPOSE 6379
CMD ["redis-server"]
CONTAINERFILE
"$engine" build -q -t "$registry/redis:8.6" "$work/redis" >/dev/null

echo "build-images: postgres (PostgreSQL $pg_version binaries from $pg_bin, laid out as the official 18.x image)"
root="$work/postgres/root"
base_root "$root"
copy_with_libraries "$root" "$pg_bin/postgres" "$pg_bin/initdb" "$pg_bin/pg_ctl" "$pg_bin/pg_isready"
for library in "/usr/lib/postgresql/$pg_version/lib"/*.so; do
  copy_with_libraries "$root" "$library"
done
mkdir -p "$root/usr/share/postgresql" "$root/usr/share" "$root/var/lib/postgresql" "$root/var/run/postgresql"
cp -r "/usr/share/postgresql/$pg_version" "$root/usr/share/postgresql/"
cp -r /usr/share/zoneinfo "$root/usr/share/"
mkdir -p "$root/usr/local/bin"
cp postgres-entrypoint.sh "$root/usr/local/bin/docker-entrypoint.sh"
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"
cat > "$work/postgres/Containerfile" <<CONTAINERFILE
FROM scratch
COPY root/ /
ENV PATH=/bin:/usr/local/bin:$pg_bin PGDATA=/var/lib/postgresql/18/docker TZ=UTC
VOLUME /var/lib/postgresql
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
CONTAINERFILE
"$engine" build -q -t "$registry/postgres:18.3" "$work/postgres" >/dev/null

echo "build-images: built $registry/redis:8.6 and $registry/postgres:18.3"
