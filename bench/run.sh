#!/usr/bin/env bash
# The lab's benchmarks (README.md, "Benchmarks"). Builds the lab, then: dotnet run --project bench/VokeTag.Bench -- <benchmark> [options]
#   bench/run.sh stability [--runs 10] [--modes process,container] [--variants reference,weakened] [--experiments all]
#   bench/run.sh stability-table [--sitting latest]
#   bench/run.sh performance [--mode process|container] [--rounds 3] [--smoke] [--parts throughput,faults,load]
# Container mode here uses the engine settings the tests use (tests/containers/engine-env.sh); on a machine without a
# registry build the stand-in images first (tests/containers/build-images.sh) and add --image-registry localhost/voketag-lab.
# Every load and fault targets the lab on 127.0.0.1, and each lab is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = performance ]; then
  # The clients and the reference proxy the performance benchmark compares against: redis-benchmark, pgbench, psql,
  # wrk, haproxy (Debian packages).
  missing=()
  command -v redis-benchmark >/dev/null 2>&1 || missing+=(redis-tools)
  { command -v pgbench >/dev/null 2>&1 && command -v psql >/dev/null 2>&1; } || missing+=(postgresql-client)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "bench: installing ${missing[*]} (apt-get)..."
    "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

source tests/containers/engine-env.sh
dotnet build VokeTag.Lab.sln -v q -nologo >/dev/null
exec dotnet run --project bench/VokeTag.Bench --no-build -- "$@"
