#!/usr/bin/env bash
# Fails when docs/api is not what `npm run docs:api` generates from the code now: regenerates the
# API reference into a temporary folder and compares.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
if ! npx typedoc --out "$fresh/api" >"$fresh/typedoc.log" 2>&1; then
  cat "$fresh/typedoc.log" >&2
  echo "API reference: typedoc failed (see above; typedoc.json, TSDoc in constructs/ and forwarder/src/)" >&2
  exit 1
fi
if ! diff -r -u docs/api "$fresh/api" >"$fresh/diff" 2>&1; then
  head -n 40 "$fresh/diff" >&2
  changed=$(grep -cE '^(diff|Only in) ' "$fresh/diff" || true)
  echo "API reference: docs/api is stale ($changed file(s) differ): run \`npm run docs:api\` and commit docs/api" >&2
  exit 1
fi
echo "API reference: docs/api is up to date"
