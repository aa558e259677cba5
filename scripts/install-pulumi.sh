#!/usr/bin/env bash
# Makes a Pulumi CLI available and prints the directory to put first on PATH (the last line of
# stdout; everything else goes to stderr).
#
# 1. A `pulumi` on PATH (or in $PULUMI_HOME/bin, ~/.pulumi/bin) of version MIN_VERSION or later, with
#    its Node.js language host beside it or on PATH, is used as it is.
# 2. Otherwise the CLI and a minimal Node.js language host are built from Go modules (tools/pulumi)
#    at the version of the pinned @pulumi/pulumi, once, into the ignored .cache/pulumi/<version>/bin.
#    That needs Go 1.25.11 or later and takes 5–15 minutes on 2 cores, with a progress line at least
#    every 15 seconds.
# The dynamic-provider plugin shim is ours (tools/pulumi/pulumi-resource-pulumi-nodejs) where this
# checkout has it, else @pulumi/pulumi's: both run the installed @pulumi/pulumi's host; ours finds it
# without starting a second node.
# 3. The Pulumi YAML language host (for YAML programs using the provider plugin), unless one is
#    beside the CLI or on PATH, is built from its Go module at YAML_VERSION into the ignored
#    .cache/pulumi/yaml-<version>/ (under a minute) and linked beside the CLI directory printed.
#    Without Go it is one line saying so, not a failure: nothing else needs it.
# 4. Our minimal language hosts (tools/pulumi/cmd/pulumi-language-*: Node.js when the CLI is built
#    here, Python unless one is beside the CLI or on PATH) are built into the ignored
#    .cache/pulumi/hosts-<hash of their sources>/ and linked beside the CLI, so an edit to them is
#    rebuilt on the next run (about 15 s with Go's build cache warm). Without Go, a missing Python
#    host is one line, not a failure: only Python programs and `gen-sdk --language python` need it.
set -euo pipefail
# 3.216.0: the first release whose dynamic providers return inputs from read (refresh without
# phantom diffs); configure (credentials without capture) came in 3.139.0.
MIN_VERSION=3.216.0
# pulumi-yaml v1.25.0 builds with `go install` (its go.mod has no replace directives).
YAML_VERSION=v1.25.0
root="$(cd "$(dirname "$0")/.." && pwd)"
log() { echo "install-pulumi: $*" >&2; }
fail() { log "$*"; exit 1; }

[ -f "$root/node_modules/@pulumi/pulumi/package.json" ] || fail "run npm ci first: @pulumi/pulumi is not installed in $root/node_modules"
version="$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")"
bin="$root/.cache/pulumi/$version/bin"

# "v3.250.0" or "3.250.0-alpha.x" → 0 when at least MIN_VERSION.
at_least_min() {
  local v="${1#v}"
  v="${v%%[-+]*}"
  [ "$(printf '%s\n%s\n' "$MIN_VERSION" "$v" | sort -V | head -n1)" = "$MIN_VERSION" ]
}

shim() {
  # The engine looks for the bundled dynamic-provider plugin next to the CLI.
  local ours="$root/tools/pulumi/pulumi-resource-pulumi-nodejs"
  [ -f "$ours" ] || ours="$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  cp "$ours" "$1/"
  chmod +x "$1/pulumi-resource-pulumi-nodejs"
}

# The YAML language host, beside the CLI directory $1 (a folder of ours: .cache/pulumi/...).
yaml_host() {
  local dir="$1"
  if [ -x "$dir/pulumi-language-yaml" ] || command -v pulumi-language-yaml >/dev/null 2>&1; then return 0; fi
  local yaml_bin="$root/.cache/pulumi/yaml-$YAML_VERSION"
  if [ ! -x "$yaml_bin/pulumi-language-yaml" ]; then
    # Only Pulumi YAML programs (the provider plugin's) need it: without it the rest still works.
    if ! command -v go >/dev/null 2>&1; then
      log "no pulumi-language-yaml beside the CLI or on PATH, and no Go to make one: Pulumi YAML programs will not run (install pulumi-language-yaml, or Go, and run this again)"
      return 0
    fi
    log "step: building the Pulumi YAML language host $YAML_VERSION from its Go module, once (usually under a minute; later runs reuse $yaml_bin)"
    mkdir -p "$yaml_bin"
    local started="$SECONDS"
    ( while sleep 15; do log "  the YAML language host: $((SECONDS - started))s so far (go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION)"; done ) &
    local beat=$!
    local status=0
    GOBIN="$yaml_bin" GOFLAGS=-mod=mod GOTOOLCHAIN=local go install -trimpath -ldflags "-w -s" "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@$YAML_VERSION" 2>"$yaml_bin/build.log" || status=$?
    kill "$beat" 2>/dev/null || true
    wait "$beat" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
      tail -n 5 "$yaml_bin/build.log" >&2 || true
      log "building the Pulumi YAML language host failed (the lines above are Go's; is the Go module proxy reachable?): Pulumi YAML programs will not run"
      return 0
    fi
    log "built the Pulumi YAML language host $YAML_VERSION into $yaml_bin"
  fi
  ln -sf "$yaml_bin/pulumi-language-yaml" "$dir/pulumi-language-yaml"
}

# One line at least every 15 seconds: what is being built, how far, how long so far.
heartbeat() {
  local what="$1" total="$2" progress_file="$3" started="$SECONDS"
  while sleep 15; do
    local done_count
    done_count="$(wc -l <"$progress_file" 2>/dev/null || echo 0)"
    local elapsed=$((SECONDS - started))
    local estimate=""
    if [ "$total" -gt 0 ] && [ "$done_count" -gt 20 ]; then
      local left=$(((total - done_count) * elapsed / done_count))
      [ "$left" -lt 0 ] && left=0
      estimate=", about $((left / 60 + 1)) min left"
    fi
    log "  $what: $done_count of ~$total packages compiled, ${elapsed}s so far$estimate (last: $(tail -n1 "$progress_file" 2>/dev/null || echo starting))"
  done
}

build() {
  local what="$1" out="$2" pkg="$3"
  shift 3
  local progress_file
  progress_file="$(mktemp)"
  log "step: downloading the modules of $what (if not cached)"
  (cd "$root/tools/pulumi" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go mod download) >/dev/null 2>&1 || fail "could not download the Go modules for $what (is the Go module proxy reachable?)"
  local total
  total="$(cd "$root/tools/pulumi" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go list -deps "$pkg" 2>/dev/null | wc -l || echo 0)"
  log "step: compiling $what ($total packages; packages already in Go's build cache are skipped)"
  heartbeat "$what" "$total" "$progress_file" &
  local beat=$!
  trap 'kill '"$beat"' 2>/dev/null || true' EXIT
  trap 'exit 143' TERM INT
  local status=0
  # `go build -v` names each package as it is compiled: that is the progress.
  (cd "$root/tools/pulumi" && GOFLAGS=-mod=mod GOTOOLCHAIN=local go build -v -trimpath "$@" -o "$out.tmp" "$pkg") 2>"$progress_file" || status=$?
  kill "$beat" 2>/dev/null || true
  wait "$beat" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    grep -v '^[a-z0-9./_-]*$' "$progress_file" | tail -n 5 >&2 || true
    rm -f "$progress_file"
    fail "building $what failed (the lines above are Go's)"
  fi
  rm -f "$progress_file"
  mv "$out.tmp" "$out"
}


# Our language hosts named in $2.. (pulumi-language-nodejs, pulumi-language-python), linked into $1.
our_hosts() {
  local dir="$1"
  shift
  local name
  if [ ! -d "$root/tools/pulumi/cmd" ]; then
    for name in "$@"; do log "no $name beside the CLI or on PATH, and no sources of ours here: programs in its language will not run"; done
    return 0
  fi
  local hash
  hash="$(cd "$root/tools/pulumi" && { cat go.mod go.sum; find cmd internal -type f | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)"
  local out="$root/.cache/pulumi/hosts-$hash"
  for name in "$@"; do
    if [ ! -x "$out/$name" ]; then
      if ! command -v go >/dev/null 2>&1; then
        log "no $name beside the CLI or on PATH, and no Go to make ours: programs in its language will not run"
        continue
      fi
      mkdir -p "$out"
      build "our language host $name" "$out/$name" "./cmd/$name" -ldflags "-w -s -X main.version=$version"
    fi
    ln -sf "$out/$name" "$dir/$name"
  done
  # Hosts of earlier sources are linked from nowhere now (a host already running keeps its file).
  find "$root/.cache/pulumi" -maxdepth 1 -name 'hosts-*' ! -name "hosts-$hash" -exec rm -rf {} +
}

# Python programs (and `gen-sdk --language python`) need a Python host: an installed one, else ours.
python_host() {
  if [ -x "$1/pulumi-language-python" ] || command -v pulumi-language-python >/dev/null 2>&1; then return 0; fi
  our_hosts "$1" pulumi-language-python
}

for candidate in "$(command -v pulumi 2>/dev/null || true)" "${PULUMI_HOME:-$HOME/.pulumi}/bin/pulumi"; do
  [ -n "$candidate" ] && [ -x "$candidate" ] || continue
  dir="$(cd "$(dirname "$candidate")" && pwd)"
  # Our own build (its folder put on PATH) is refreshed below, where edited hosts are rebuilt.
  [ "$dir" = "$(cd "$bin" 2>/dev/null && pwd)" ] && continue
  found="$("$candidate" version 2>/dev/null || true)"
  if ! at_least_min "$found"; then
    log "ignoring $candidate ($found): this project needs Pulumi $MIN_VERSION or later"
    continue
  fi
  if [ ! -x "$dir/pulumi-language-nodejs" ] && ! command -v pulumi-language-nodejs >/dev/null 2>&1; then
    log "ignoring $candidate ($found): no pulumi-language-nodejs beside it or on PATH"
    continue
  fi
  if [ ! -x "$dir/pulumi-resource-pulumi-nodejs" ] || { [ ! -x "$dir/pulumi-language-yaml" ] && ! command -v pulumi-language-yaml >/dev/null 2>&1; }; then
    # An installed CLI ships the plugin; a bare binary may not: give it ours in a folder of our own.
    mkdir -p "$root/.cache/pulumi/shim"
    ln -sf "$candidate" "$root/.cache/pulumi/shim/pulumi"
    [ -x "$dir/pulumi-language-nodejs" ] && ln -sf "$dir/pulumi-language-nodejs" "$root/.cache/pulumi/shim/"
    shim "$root/.cache/pulumi/shim"
    dir="$root/.cache/pulumi/shim"
    yaml_host "$dir"
  fi
  if [ ! -x "$dir/pulumi-language-python" ] && ! command -v pulumi-language-python >/dev/null 2>&1 && [ "$dir" != "$root/.cache/pulumi/shim" ]; then
    # Ours goes beside a link to the CLI in a folder of our own, not into the installed CLI's folder.
    mkdir -p "$root/.cache/pulumi/shim"
    for file in "$dir"/pulumi*; do ln -sf "$file" "$root/.cache/pulumi/shim/"; done
    dir="$root/.cache/pulumi/shim"
  fi
  python_host "$dir"
  log "using the installed Pulumi CLI $found ($candidate)"
  echo "$dir"
  exit 0
done

if [ -x "$bin/pulumi" ]; then
  our_hosts "$bin" pulumi-language-nodejs pulumi-language-python
  shim "$bin"
  yaml_host "$bin"
  echo "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || fail "no Pulumi CLI $MIN_VERSION+ found, and Go (1.25.11 or later) is needed to build one here; install Pulumi (https://www.pulumi.com/docs/install/) or Go, then run this again"
go_version="$(go env GOVERSION)"
printf '%s\n%s\n' "go1.25.11" "$go_version" | sort -V -C || fail "Go 1.25.11 or later is needed to build the Pulumi CLI; this is $go_version"

log "no Pulumi CLI $MIN_VERSION+ found: building Pulumi v$version from its Go modules, once (usually 5–15 minutes on 2 cores; later runs reuse $bin)"
mkdir -p "$bin"
build "the Pulumi CLI" "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi -tags osusergo,grpcnotrace -ldflags "-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
our_hosts "$bin" pulumi-language-nodejs pulumi-language-python
shim "$bin"
yaml_host "$bin"
log "built Pulumi v$version into $bin"
echo "$bin"
