import { randomUUID } from 'node:crypto';

import { Admin, Kafka, logLevel } from 'kafkajs';

import { BatchConsumer, BatchConsumerOptions } from '../application/batch-consumer.port';
import { MessageProducer } from '../application/message-producer.port';
import { InboundMessage } from '../application/message.types';
import { MessagingLogger } from '../application/messaging-logger';
import { KafkajsMessagingClient } from './kafkajs-messaging.client';
// The broker that test/setup/global-setup.ts started for this run.
import { kafkaBrokers } from '../../../../test/support/test-database';

class RecordingLogger implements MessagingLogger {
  readonly lines: Array<{ level: string; message: string }> = [];
  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

const text = (message: InboundMessage): string => message.value?.toString('utf8') ?? '';
const values = (prefix: string, from: number, to: number): string[] =>
  Array.from({ length: to - from }, (_, index) => `${prefix}-${from + index}`);

// The first start of a broker and consumer-group joins take seconds, more than Jest's default 5 s.
jest.setTimeout(60_000);

describe('KafkajsMessagingClient against a real broker', () => {
  // Unique names keep runs apart on a shared broker and on a reused data dir.
  const run = randomUUID().slice(0, 8);
  const topicName = (name: string): string => `messaging-int.${name}.${run}`;
  const groupName = (name: string): string => `messaging-int.${name}.${run}`;

  let client: KafkajsMessagingClient;
  let logger: RecordingLogger;
  let producer: MessageProducer;
  let admin: Admin;
  const consumers: BatchConsumer[] = [];

  const createConsumer = (options: BatchConsumerOptions): BatchConsumer => {
    const consumer = client.createBatchConsumer({
      retry: { initialDelayMs: 100, maxDelayMs: 400 },
      ...options,
    });
    consumers.push(consumer);
    return consumer;
  };

  const committedOffsets = async (groupId: string, topic: string): Promise<string[]> => {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (entry?.partitions ?? []).sort((a, b) => a.partition - b.partition).map((p) => p.offset);
  };

  beforeAll(async () => {
    const brokers = kafkaBrokers().join(',');
    logger = new RecordingLogger();
    client = new KafkajsMessagingClient({ brokers: brokers.split(','), clientId: 'messaging-int', logger });
    producer = client.createProducer();
    admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop()));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
  });

  it('creates missing topics once and leaves existing ones alone', async () => {
    const multi = topicName('ensure-multi');
    const single = topicName('ensure-single');

    await client.ensureTopics([
      { topic: multi, partitions: 3 },
      { topic: single, partitions: 1 },
    ]);
    await client.ensureTopics([
      { topic: multi, partitions: 3 },
      { topic: single, partitions: 1 },
    ]);
    await client.ensureTopics([{ topic: multi, partitions: 5 }]);

    const { topics } = await admin.fetchTopicMetadata({ topics: [multi, single] });
    const partitionCounts = Object.fromEntries(topics.map((topic) => [topic.name, topic.partitions.length]));
    expect(partitionCounts).toEqual({ [multi]: 3, [single]: 1 });
    expect(topics.flatMap((topic) => topic.partitions).every((partition) => partition.leader >= 0)).toBe(
      true,
    );
    expect(logger.at('warn')).toContainEqual(
      expect.stringContaining(`topic ${multi} has 3 partition(s), not the 5`),
    );
    expect(logger.at('log').filter((line) => line.includes(multi))).toHaveLength(1);
  });

  it('delivers records in batches with keys, headers and offsets, and commits them', async () => {
    const topic = topicName('delivery');
    const groupId = groupName('delivery');
    await client.ensureTopics([{ topic, partitions: 2 }]);
    // Concurrent sends as well as multi-record sends: the idempotent producer must keep them all.
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        producer.send(topic, [
          {
            key: `key-${index}`,
            value: `value-${index}`,
            headers: { source: 'int-test', index: String(index) },
          },
        ]),
      ),
    );
    await producer.send(
      topic,
      values('bulk', 0, 30).map((value) => ({ key: value, value, partition: 1 })),
    );

    const batches: InboundMessage[][] = [];
    const consumer = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages) => {
        batches.push(messages);
      },
    });
    await consumer.start();
    await waitFor('40 records', () => batches.flat().length >= 40);

    const received = batches.flat();
    expect(received).toHaveLength(40);
    expect(received.map(text).sort()).toEqual([...values('value', 0, 10), ...values('bulk', 0, 30)].sort());
    expect(batches.some((batch) => batch.length > 1)).toBe(true);
    for (const batch of batches) {
      // One partition per batch, in offset order.
      expect(new Set(batch.map((message) => message.partition)).size).toBe(1);
      const offsets = batch.map((message) => BigInt(message.offset));
      expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)));
    }
    const first = received.find((message) => text(message) === 'value-3');
    expect(first?.key?.toString('utf8')).toBe('key-3');
    expect(first?.headers).toEqual({ source: 'int-test', index: '3' });
    expect(first?.topic).toBe(topic);
    expect(first?.offset).toMatch(/^\d+$/);
    expect(Number(first?.timestamp)).toBeGreaterThan(Date.now() - 5 * 60_000);

    const perPartition = [0, 1].map(
      (partition) => received.filter((message) => message.partition === partition).length,
    );
    await waitFor('commits of both partitions', async () => {
      const committed = await committedOffsets(groupId, topic);
      return committed.join() === perPartition.map(String).join();
    });
  });

  it('commits only after the handler resolves and hands a failed batch again', async () => {
    const topic = topicName('retry');
    const groupId = groupName('retry');
    await client.ensureTopics([{ topic, partitions: 1 }]);
    await producer.send(
      topic,
      values('retry', 0, 5).map((value) => ({ value })),
    );

    const attempts: string[][] = [];
    const secondAttemptStarted = deferred();
    const releaseSecondAttempt = deferred();
    const consumer = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages) => {
        attempts.push(messages.map(text));
        if (attempts.length === 1) throw new Error('downstream unavailable');
        if (attempts.length === 2) {
          secondAttemptStarted.resolve();
          await releaseSecondAttempt.promise;
        }
      },
    });
    await consumer.start();
    await secondAttemptStarted.promise;

    // The first attempt failed and the second is still running: nothing may be committed yet.
    expect(await committedOffsets(groupId, topic)).toEqual(['-1']);
    expect(logger.at('error')).toContainEqual(
      expect.stringMatching(/offsets 0\.\.4 failed \(attempt 1\).*downstream unavailable/),
    );

    releaseSecondAttempt.resolve();
    await waitFor(
      'the commit after the successful attempt',
      async () => (await committedOffsets(groupId, topic))[0] === '5',
    );
    expect(attempts).toEqual([values('retry', 0, 5), values('retry', 0, 5)]);
  });

  it('lets a later member of the group resume after the last commit, losing nothing', async () => {
    const topic = topicName('resume');
    const groupId = groupName('resume');
    await client.ensureTopics([{ topic, partitions: 1 }]);
    await producer.send(
      topic,
      values('m', 0, 10).map((value) => ({ value })),
    );

    const firstSeen: string[] = [];
    const first = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages) => {
        firstSeen.push(...messages.map(text));
      },
    });
    await first.start();
    await waitFor('the first 10 records', () => firstSeen.length >= 10);
    await first.stop();
    expect(await committedOffsets(groupId, topic)).toEqual(['10']);

    // Records 10-14 arrive while no member runs; 15-19 fail in a member that is stopped mid-retry.
    await producer.send(
      topic,
      values('m', 10, 15).map((value) => ({ value })),
    );
    const failing = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages) => {
        if (messages.some((message) => text(message) === 'm-17')) throw new Error('cannot store m-17');
      },
    });
    await failing.start();
    await producer.send(
      topic,
      values('m', 15, 20).map((value) => ({ value })),
    );
    await waitFor('the batch with m-17 to fail', () =>
      logger.at('error').some((line) => line.includes('cannot store m-17')),
    );
    await failing.stop();
    const committedBeforeFailure = Number((await committedOffsets(groupId, topic))[0]);
    expect(committedBeforeFailure).toBeGreaterThanOrEqual(10);
    expect(committedBeforeFailure).toBeLessThanOrEqual(17);

    const resumedSeen: string[] = [];
    const resumed = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages) => {
        resumedSeen.push(...messages.map(text));
      },
    });
    await resumed.start();
    await waitFor('records up to m-19', () => resumedSeen.includes('m-19'));
    expect(resumedSeen).toEqual(values('m', committedBeforeFailure, 20));
    expect(firstSeen).toEqual(values('m', 0, 10));
    await waitFor('the commit of m-19', async () => (await committedOffsets(groupId, topic))[0] === '20');
  });

  it('stops gracefully: finishes and commits the batch in flight, then leaves the group', async () => {
    const topic = topicName('graceful');
    const groupId = groupName('graceful');
    await client.ensureTopics([{ topic, partitions: 1 }]);
    await producer.send(
      topic,
      values('g', 0, 3).map((value) => ({ value })),
    );

    const events: string[] = [];
    const handlerStarted = deferred();
    let sawStopping = false;
    const consumer = createConsumer({
      groupId,
      topic,
      fromBeginning: true,
      handler: async (messages, context) => {
        events.push(`handler started with ${messages.length}`);
        handlerStarted.resolve();
        // A long handler keeps its membership alive and can see the stop coming.
        for (let step = 0; step < 10; step += 1) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          await context.heartbeat();
          sawStopping ||= !context.isRunning();
        }
        events.push('handler finished');
      },
    });
    await consumer.start();
    await handlerStarted.promise;

    await consumer.stop().then(() => events.push('stopped'));
    expect(events).toEqual(['handler started with 3', 'handler finished', 'stopped']);
    expect(sawStopping).toBe(true);
    expect(await committedOffsets(groupId, topic)).toEqual(['3']);
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]?.members).toEqual([]);
    await consumer.stop();
  });
});
