#!/usr/bin/env bash
# npm test: the committed typed client (clients/typescript/schema.d.ts) must be what openapi-typescript
# generates from the document the route table builds (dist/openapi.json, written by `npm run build`).
set -euo pipefail
cd "$(dirname "$0")/.."

committed=clients/typescript/schema.d.ts
fresh="$(mktemp --suffix=.d.ts)"
trap 'rm -f "$fresh"' EXIT
npx --no-install openapi-typescript dist/openapi.json --output "$fresh" >/dev/null
if ! diff -u --label "$committed (committed)" --label "$committed (generated from the route table)" "$committed" "$fresh"; then
  echo >&2
  echo "$committed is out of date with the route table. Run: npm run client:generate (and commit the result)" >&2
  exit 1
fi
echo "$committed is up to date with dist/openapi.json"
