#!/usr/bin/env bash
# Installs the third-party Confluent Schema Registry client (npm @kafkajs/confluent-schema-registry,
# pinned in package-lock.json) that ConfluentNodeClientIT uses to prove our serde's wire format.
# Without it (or without node) that test is skipped with a message; everything else runs.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: ConfluentNodeClientIT will be skipped" >&2
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
