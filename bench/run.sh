#!/usr/bin/env bash
# The lab's benchmarks. Builds the lab, then: dotnet run --project bench/VokeTag.Bench -- <benchmark> [options]
#   bench/run.sh stability [--runs 10] [--modes process,container] [--variants reference,weakened] [--experiments all]
#   bench/run.sh stability-table
# Container mode here uses the engine settings the tests use (tests/containers/engine-env.sh); on a machine without a
# registry build the stand-in images first (tests/containers/build-images.sh) and add --image-registry localhost/voketag-lab.
# Every load and fault targets the lab on 127.0.0.1, and each lab is bounded in time (see bench/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."

source tests/containers/engine-env.sh
dotnet build VokeTag.Lab.sln -v q -nologo >/dev/null
exec dotnet run --project bench/VokeTag.Bench --no-build -- "$@"
