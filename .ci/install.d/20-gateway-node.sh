#!/usr/bin/env bash
# The official OpenAI npm SDK that gateway's GatewayOpenAiNodeIT and e2e's GatewayEndToEndIT and
# GatewayStreamingTestServersEndToEndIT drive the gateway with.
set -euo pipefail
cd "$(dirname "$0")/../.."
if command -v npm >/dev/null 2>&1; then
  bash gateway/src/test/node/install.sh
else
  echo "npm not found: GatewayOpenAiNodeIT and the e2e gateway stacks' npm client tests will be skipped"
fi
