import { buildAlertDataset } from '../support/alert-dataset';
import { countOf, incidentGroups } from '../support/incident-snapshot';
import { createTopics, produce, testKafka, uniqueName, waitFor } from '../support/kafka-tools';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '../support/test-database';

const kafka = testKafka();
let db: TestDatabase;
const running: RampartProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase('kafka_crash');
});

afterAll(async () => {
  for (const process of running) await process.stop();
  await db.drop();
});

describe('an ingestor that crashes mid-stream', () => {
  it('loses and duplicates nothing once restarted', async () => {
    const topic = uniqueName('alerts');
    const groupId = uniqueName('group');
    await createTopics(kafka, [topic], 3);
    const dataset = buildAlertDataset({ pairs: 30, perGroup: 50, tag: 'crash' });
    const firstPart = Math.floor((dataset.records.length * 2) / 3);
    await produce(kafka, topic, dataset.records.slice(0, firstPart));

    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_ALERTS_TOPIC: topic,
      KAFKA_GROUP_ID: groupId,
      KAFKA_TOPIC_PARTITIONS: '3',
      SOAR_ROLES: 'ingestor',
    };
    const first = await startRampartProcess(env);
    running.push(first);
    await waitFor(
      'the first alerts',
      async () => (await countOf(db, 'SELECT count(*) FROM alert')) > 0,
      60_000,
      20,
    );
    await first.kill();
    const atCrash = await countOf(db, 'SELECT count(*) FROM alert');
    // Killed mid-stream: some of what was waiting in Kafka was stored, not all of it.
    expect(atCrash).toBeGreaterThan(0);
    expect(atCrash).toBeLessThan(firstPart);

    // The SIEM keeps sending while the ingestor is down.
    await produce(kafka, topic, dataset.records.slice(firstPart));
    const second = await startRampartProcess(env);
    running.push(second);
    await waitFor(
      'every alert',
      async () => (await countOf(db, 'SELECT count(*) FROM alert')) >= dataset.records.length,
    );
    // Let redelivered batches (uncommitted at the crash) drain before judging.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    expect(await countOf(db, 'SELECT count(*) FROM alert')).toBe(dataset.records.length);
    expect(await countOf(db, 'SELECT count(*) FROM incident_alert')).toBe(dataset.records.length);
    expect(
      await countOf(
        db,
        'SELECT count(*) FROM (SELECT title FROM alert GROUP BY title HAVING count(*) > 1) d',
      ),
    ).toBe(0);
    expect(await incidentGroups(db)).toEqual(dataset.expectedIncidents);
  });
});
