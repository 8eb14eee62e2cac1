#!/usr/bin/env bash
# The code-health checks that .ci/run runs before the tests: lint, format, API reference, config schemas. Runs them
# all, prints one line per check (with the command that fixes it), exits 1 if any failed.
# Needs the packages built (npm ci does it): type-aware lint reads metric-declaration's types.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

failed=()
check() {
  local name=$1 fix=$2
  shift 2
  local started=$SECONDS output
  if output=$("$@" 2>&1); then
    echo "ok: $name ($((SECONDS - started)) s)"
  else
    printf '%s\n' "$output" | tail -n 60
    echo "FAILED: $name: $fix"
    failed+=("$name")
  fi
}

check lint 'run `npm run lint:fix`, then fix what remains by hand (rules: eslint.config.mjs)' npx eslint --max-warnings 0 .
check format 'run `npm run format` (Prettier, .prettierrc)' npx prettier --check --log-level warn .
check 'API reference' 'run `npm run docs:api` and commit docs/api' bash scripts/habits/check-api-docs.sh
check 'config schemas' 'run `npm run schemas` and commit config/*.schema.json and metric-declaration/src/metrics.schema.json' npx tsx scripts/schemas.ts --check

if (( ${#failed[@]} > 0 )); then
  echo "checks failed: ${failed[*]}"
  exit 1
fi
