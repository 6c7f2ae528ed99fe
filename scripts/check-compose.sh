#!/usr/bin/env bash
# Validate docker-compose.yml with compose-go, the loader `docker compose` uses (no Docker engine
# needed), and prove the validator is not a rubber stamp: a copy with an unknown service key and
# a run without the required secrets must both be rejected.
#   bash scripts/check-compose.sh
#   bash scripts/check-compose.sh --env api   # the api service's environment as JSON, with placeholders
#                                             # for the required secrets (test/chaos compares npm run cluster's)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/tools/compose-check"
compose="$root/docker-compose.yml"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/resetflow/bin"

# Build once per version of the tool's source (named by its hash, so checkouts of different
# versions on one machine never rebuild each other's).
sha() { if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi; }
hash="$(cat "$src/go.mod" "$src/go.sum" "$src/main.go" | sha | cut -c1-16)"
bin="$bin_dir/compose-check-$hash"
if [[ ! -x "$bin" ]]; then
  echo "building compose-check into $bin" >&2
  mkdir -p "$bin_dir"
  (cd "$src" && go build -o "$bin.tmp.$$" .)
  mv "$bin.tmp.$$" "$bin"
fi

# Placeholders for every variable docker-compose.yml requires (${VAR:?...}); no .env is read,
# so the result does not depend on the machine.
export COMPOSE_DISABLE_ENV_FILE=1
required=()
while IFS= read -r name; do required+=("$name"); done < <(
  grep -v '^[[:space:]]*#' "$compose" | grep -oE '\$\{[A-Za-z_][A-Za-z0-9_]*:\?' | sed -E 's/^\$\{//; s/:\?$//' | sort -u)
(( ${#required[@]} )) || { echo "docker-compose.yml requires no variable: are the secrets hard-coded?" >&2; exit 1; }
placeholders=()
for name in "${required[@]}"; do placeholders+=("$name=compose-check-placeholder"); done
check() { env "${placeholders[@]}" "$bin" "$@"; }

if [[ "${1:-}" == "--env" ]]; then
  check -env "${2:?usage: check-compose.sh --env SERVICE}" "$compose"
  exit 0
fi

check "$compose"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# An unknown key at the top level of the first service.
awk 'done != 1 && prev == "services:" && /^  [a-z]/ { print; print "    not_a_compose_key: true"; done = 1; next }
     { prev = $0; print }' "$compose" >"$tmp/unknown-key.yml"
grep -q not_a_compose_key "$tmp/unknown-key.yml" || { echo "could not write the broken copy" >&2; exit 1; }
if out="$(check "$tmp/unknown-key.yml" 2>&1)"; then
  echo "compose-check accepted an unknown service key: $out" >&2
  exit 1
fi
grep -q not_a_compose_key <<<"$out" || { echo "compose-check failed for another reason: $out" >&2; exit 1; }
echo "rejected as it should: $out"

# The secrets are required, not defaulted: without the first one the file is rejected.
missing="${required[0]}"
if out="$(env -u "$missing" "${placeholders[@]:1}" "$bin" "$compose" 2>&1)"; then
  echo "compose-check accepted docker-compose.yml without $missing: $out" >&2
  exit 1
fi
grep -q "$missing" <<<"$out" || { echo "compose-check failed for another reason: $out" >&2; exit 1; }
echo "rejected as it should without $missing: $(head -1 <<<"$out")"
