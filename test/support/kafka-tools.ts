import { randomBytes } from 'node:crypto';

import { Kafka, logLevel } from 'kafkajs';

import { kafkaBrokers } from './test-database';

/**
 * A plain kafkajs client for tests: it plays the SIEM that produces alerts and the operator who
 * reads the DLQ, independent of the code under test.
 */
export function testKafka(): Kafka {
  return new Kafka({
    clientId: `rampart-test-${randomBytes(3).toString('hex')}`,
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function createTopics(kafka: Kafka, topics: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
}

export async function produce(
  kafka: Kafka,
  topic: string,
  records: { key: string; value: string }[],
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let offset = 0; offset < records.length; offset += 500) {
      await producer.send({ topic, messages: records.slice(offset, offset + 500) });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ConsumedRecord {
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/** Reads a topic from the beginning until `count` records arrived (or the timeout). */
export async function consumeAll(
  kafka: Kafka,
  topic: string,
  count: number,
  timeoutMs = 60_000,
): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader') });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${records.length} of ${count} records on ${topic}`)),
        timeoutMs,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
          records.push({
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? '',
            headers,
          });
          if (records.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

export async function waitFor(
  description: string,
  check: () => Promise<boolean>,
  timeoutMs = 120_000,
  intervalMs = 250,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
}
