#!/usr/bin/env bash
# Makes a Pulumi CLI available at the version of the pinned @pulumi/pulumi, and prints the
# directory to put first on PATH. Uses `pulumi` from PATH when its version matches; otherwise
# builds the CLI and a minimal Node.js language host from Go modules (tools/pulumi) into the
# ignored .cache/pulumi/<version>/bin, once. The dynamic-provider plugin shim comes from npm.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="$(node -p "require('$root/node_modules/@pulumi/pulumi/package.json').version")"
bin="$root/.cache/pulumi/$version/bin"
log() { echo "install-pulumi: $*" >&2; }

if command -v pulumi >/dev/null 2>&1 && [ "$(pulumi version 2>/dev/null)" = "v$version" ] && command -v pulumi-language-nodejs >/dev/null 2>&1; then
  dirname "$(command -v pulumi)"
  exit 0
fi

if [ ! -x "$bin/pulumi" ] || [ ! -x "$bin/pulumi-language-nodejs" ]; then
  command -v go >/dev/null 2>&1 || { log "Go is needed to build the Pulumi CLI ($version) here"; exit 1; }
  log "building the Pulumi CLI v$version and a Node.js language host from Go modules (first time: several minutes)"
  mkdir -p "$bin"
  cd "$root/tools/pulumi"
  ldflags="-w -s -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
  GOFLAGS=-mod=mod go build -trimpath -tags osusergo,grpcnotrace -ldflags "$ldflags" -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  GOFLAGS=-mod=mod go build -trimpath -ldflags "-w -s -X main.version=$version" -o "$bin/pulumi-language-nodejs" ./cmd/pulumi-language-nodejs
  mv "$bin/pulumi.tmp" "$bin/pulumi"
fi
# The engine looks for the bundled dynamic-provider plugin next to the CLI.
cp "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$bin/"
chmod +x "$bin/pulumi-resource-pulumi-nodejs"
echo "$bin"
