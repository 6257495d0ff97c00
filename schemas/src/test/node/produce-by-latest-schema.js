// A producer in another language as docs/getting-started.md ("Producing from another language") shows it:
// it looks up the latest schema of inference.requests-value (it registers nothing) and encodes a request;
// it also converts Avro decimal(20,9) money bytes with the page's decimalUsd. Driven by ConfluentNodeClientIT.
//
//   node produce-by-latest-schema.js <registry-url> <input.json> <output.json>
//
// input:  {"decimalsHex": ["<unscaled two's-complement bytes>", ...]}
// output: {"id", "hex", "decimals": ["0.789277838", ...]}
'use strict';
const fs = require('fs');
const { SchemaRegistry } = require('@kafkajs/confluent-schema-registry');

// as in docs/getting-started.md
function decimalUsd(bytes) {   // Avro decimal(20,9) -> "0.789277838"
  let n = BigInt.asIntN(bytes.length * 8, BigInt('0x' + bytes.toString('hex')));
  const sign = n < 0n ? '-' : '';
  if (n < 0n) n = -n;
  const digits = n.toString().padStart(10, '0');
  return sign + digits.slice(0, -9) + '.' + digits.slice(-9);
}

async function main() {
  const [url, inputFile, outputFile] = process.argv.slice(2);
  const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
  const registry = new SchemaRegistry({ host: url });
  const id = await registry.getLatestSchemaId('inference.requests-value');
  const request = { requestId: 'r-1', prompt: 'Summarize: ...', costCenter: 'team-a',
    requiresDataSovereignty: false, latencyBudgetMs: 5000, createdAt: 1700000000123 };
  const value = await registry.encode(id, request);
  const decimals = input.decimalsHex.map((hex) => decimalUsd(Buffer.from(hex, 'hex')));
  fs.writeFileSync(outputFile, JSON.stringify({ id, hex: value.toString('hex'), decimals }));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
