// Confluent wire-format interop check with a third-party client (@kafkajs/confluent-schema-registry,
// which decodes with avsc). Driven by ConfluentNodeClientIT; not a test on its own.
//
//   node confluent-interop.js <registry-url> <input.json> <output.json>
//
// input:  {"records": [{"type": "WorkerHealth", "hex": "<bytes our AvroSerializer wrote>"}], "nodeSubject": "..."}
// output: {"records": [{"type", "id", "decoded", "reencodedHex"}], "node": {"id", "hex"}}
'use strict';
const fs = require('fs');
const { SchemaRegistry, SchemaType } = require('@kafkajs/confluent-schema-registry');

const [url, inputFile, outputFile] = process.argv.slice(2);

// Buffers (Avro bytes/decimal) as hex, so Java can compare unscaled decimal values
const replacer = (key, value) =>
  value && value.type === 'Buffer' && Array.isArray(value.data) ? Buffer.from(value.data).toString('hex') : value;

// WorkerHealth as a non-Java producer would declare it: no Java-specific properties
const nodeWorkerHealth = {
  type: 'record', name: 'WorkerHealth', namespace: 'io.tiergate.schemas.events',
  fields: [
    { name: 'workerId', type: 'string' },
    { name: 'tier', type: { type: 'enum', name: 'Tier', symbols: ['LOCAL', 'CLOUD', 'NONE', 'UNKNOWN'], default: 'UNKNOWN' } },
    { name: 'queueDepth', type: 'int' },
    { name: 'queueLimit', type: 'int' },
    { name: 'circuit', type: { type: 'enum', name: 'CircuitState', symbols: ['CLOSED', 'OPEN', 'HALF_OPEN', 'UNKNOWN'], default: 'UNKNOWN' } },
    { name: 'updatedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
  ],
};

async function main() {
  const input = JSON.parse(fs.readFileSync(inputFile, 'utf8'));
  const registry = new SchemaRegistry({ host: url });
  const records = [];
  for (const record of input.records) {
    const bytes = Buffer.from(record.hex, 'hex');
    const id = bytes.readInt32BE(1);
    const decoded = await registry.decode(bytes);
    const reencoded = await registry.encode(id, decoded);
    records.push({ type: record.type, id, decoded: JSON.parse(JSON.stringify(decoded, replacer)), reencodedHex: reencoded.toString('hex') });
  }
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(nodeWorkerHealth) },
    { subject: input.nodeSubject });
  const encoded = await registry.encode(id, {
    workerId: 'node-1', tier: 'CLOUD', queueDepth: 5, queueLimit: 9, circuit: 'OPEN', updatedAt: 1700000000123,
  });
  fs.writeFileSync(outputFile, JSON.stringify({ records, node: { id, hex: encoded.toString('hex') } }, null, 1));
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
