#!/usr/bin/env bash
# The third-party Confluent client (npm) that schemas' ConfluentNodeClientIT checks our wire format against.
set -euo pipefail
cd "$(dirname "$0")/../.."
if command -v npm >/dev/null 2>&1; then
  bash schemas/src/test/node/install.sh
else
  echo "npm not found: ConfluentNodeClientIT will be skipped"
fi
