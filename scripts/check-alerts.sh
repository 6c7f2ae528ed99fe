#!/usr/bin/env bash
# Validate the example Prometheus files with promtool (built once from the Go module proxy into
# ~/.cache/resetflow/bin; the build is large: tens of minutes on 2 cores, so this is not part of CI):
# the scrape config's syntax, the alert rules, and their unit tests (deploy/prometheus/alerts.test.yml).
#   bash scripts/check-alerts.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=v0.316.0
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/resetflow/bin"
bin="$bin_dir/promtool-$version"
if [[ ! -x "$bin" ]]; then
  echo "building promtool $version into $bin (once)"
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir/promtool-build" go install "github.com/prometheus/prometheus/cmd/promtool@$version"
  mv "$bin_dir/promtool-build/promtool" "$bin"
  rmdir "$bin_dir/promtool-build"
fi
cd "$root/deploy/prometheus"
"$bin" check config --syntax-only prometheus.yml
"$bin" check rules alerts.yml
"$bin" test rules alerts.test.yml
