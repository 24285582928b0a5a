'use strict';
// Runs Confluent's own JavaScript CSFLE client (@confluentinc/schemaregistry, pinned in
// package.json) for ConfluentJsInteropIT. Reads one JSON job on stdin, prints one JSON answer on
// stdout. Nothing here encrypts by itself: every ciphertext comes from Confluent's
// FieldEncryptionExecutor, driven by the ENCRYPT rule of the schema the test registered.
//
// Job:
//   { "registryUrl": "http://127.0.0.1:PORT", "localSecret": "...",
//     "ops": [ { "op": "serialize",   "topic": "t", "key": false, "record": {...},
//                "bytesFields": ["card"] },
//              { "op": "deserialize", "topic": "t", "key": false, "payload": "<base64>" } ] }
// Fields named in bytesFields are given as base64 and become Buffers; every Buffer in a
// deserialized record is answered as base64 (the test knows which fields are bytes).
// Answer: { "results": [ { "payload": "<base64>" } | { "record": {...} } | { "error": "..." } ] }

const {
  AvroDeserializer,
  AvroSerializer,
  FieldEncryptionExecutor,
  LocalKmsDriver,
  SchemaRegistryClient,
  SerdeType,
  SubjectNameStrategyType,
} = require('@confluentinc/schemaregistry');

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toWire(record, bytesFields) {
  const copy = { ...record };
  for (const name of bytesFields || []) {
    if (copy[name] != null) {
      copy[name] = Buffer.from(copy[name], 'base64');
    }
  }
  return copy;
}

function fromWire(record) {
  const copy = {};
  for (const [name, value] of Object.entries(record)) {
    copy[name] = Buffer.isBuffer(value) ? value.toString('base64') : value;
  }
  return copy;
}

async function main() {
  const job = JSON.parse(await readStdin());
  FieldEncryptionExecutor.register();
  LocalKmsDriver.register();
  const client = new SchemaRegistryClient({ baseURLs: [job.registryUrl], maxRetries: 0 });
  const commonConfig = {
    subjectNameStrategyType: SubjectNameStrategyType.TOPIC,
    ruleConfig: { secret: job.localSecret },
  };
  // The schema (with its ENCRYPT rule) is registered by the test: the serializer uses the latest
  // version; the deserializer, as consumers usually do, the writer's schema from the message.
  const serializerConfig = { ...commonConfig, autoRegisterSchemas: false, useLatestVersion: true };
  const serdes = new Map();
  const serde = (kind, isKey) => {
    const name = kind + (isKey ? ':key' : ':value');
    if (!serdes.has(name)) {
      const type = isKey ? SerdeType.KEY : SerdeType.VALUE;
      serdes.set(
        name,
        kind === 'serialize'
          ? new AvroSerializer(client, type, { ...serializerConfig })
          : new AvroDeserializer(client, type, { ...commonConfig }),
      );
    }
    return serdes.get(name);
  };

  const results = [];
  for (const op of job.ops) {
    try {
      if (op.op === 'serialize') {
        const bytes = await serde('serialize', op.key).serialize(
          op.topic,
          toWire(op.record, op.bytesFields),
        );
        results.push({ payload: Buffer.from(bytes).toString('base64') });
      } else if (op.op === 'deserialize') {
        const record = await serde('deserialize', op.key).deserialize(
          op.topic,
          Buffer.from(op.payload, 'base64'),
        );
        results.push({ record: fromWire(record) });
      } else {
        results.push({ error: 'unknown op ' + op.op });
      }
    } catch (e) {
      results.push({ error: String(e && e.stack ? e.stack : e) });
    }
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ error: String(e && e.stack ? e.stack : e) }) + '\n');
  process.exitCode = 1;
});
