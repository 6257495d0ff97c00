#!/usr/bin/env bash
# Installs the official OpenAI npm SDK (openai, pinned in package-lock.json) that GatewayOpenAiNodeIT and e2e's
# GatewayEndToEndIT and GatewayStreamingTestServersEndToEndIT (through the five services) drive the gateway with.
# Without it (or without node) those tests are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: GatewayOpenAiNodeIT and the e2e gateway stacks' npm client tests will be skipped" >&2
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
