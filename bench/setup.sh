#!/usr/bin/env bash
# The benchmark's own set-up: wrk, the HTTP load generator (Debian package), when missing.
set -euo pipefail
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
wrk --version 2>&1 | head -1 || true
