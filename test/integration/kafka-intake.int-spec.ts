import { buildSampleAlert } from '@rampart/alerts';
import { DLQ_HEADERS } from '@rampart/intake';

import { buildAlertDataset, malformedRecords } from '../support/alert-dataset';
import { countOf, incidentGroups } from '../support/incident-snapshot';
import { consumeAll, createTopics, produce, testKafka, uniqueName, waitFor } from '../support/kafka-tools';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { refuseAlertTitle } from '../support/refuse-title';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '../support/test-database';

const kafka = testKafka();
let db: TestDatabase;
let ingestor: RampartProcess | undefined;

beforeAll(async () => {
  db = await createTestDatabase('kafka_intake');
});

afterAll(async () => {
  await ingestor?.stop();
  await db.drop();
});

describe('Kafka intake', () => {
  it('turns 10,000 alerts of mixed formats into exactly the expected incidents, dead-letters bad records and ignores redelivery', async () => {
    const topic = uniqueName('alerts');
    await createTopics(kafka, [topic], 4);
    // 100 pairs of groups x 2 x 50 alerts = 10,000 alerts, expected as 100 incidents of 100.
    const dataset = buildAlertDataset({ pairs: 100, perGroup: 50, tag: 'k10k' });
    expect(dataset.records).toHaveLength(10_000);
    const bad = malformedRecords(25);
    // Readable alerts that PostgreSQL itself refuses (a trigger on this database raises SQLSTATE
    // 22023 for their title): they too must reach the DLQ without holding back their batch.
    await refuseAlertTitle(db, 'poison pill');
    const poison = [0, 1, 2].map((index) => ({
      key: `poison-${index}`,
      value: JSON.stringify(
        buildSampleAlert('elastic', {
          id: `poison-${index}`,
          time: new Date('2026-11-01T00:00:00Z'),
          host: 'p',
          title: 'poison pill',
        }),
      ),
    }));
    // One record, two alerts (NDJSON): a redelivery and one nested too deep to read.
    const depth = 20_000;
    const deep = JSON.stringify(
      buildSampleAlert('wazuh', { id: 'deep', time: new Date('2026-11-01T00:00:00Z'), host: 'd' }),
    ).replace(/}$/, `,"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    poison.push({ key: 'mixed-deep', value: `${(dataset.records[1] as { value: string }).value}\n${deep}` });
    const redelivered = dataset.records.slice(0, 300);
    // Interleave the bad records so the consumer must keep going past each.
    const all = [...dataset.records];
    [...bad, ...poison].forEach((record, index) => all.splice(index * 350, 0, record));
    await produce(kafka, topic, [...all, ...redelivered]);

    ingestor = await startRampartProcess({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      KAFKA_ALERTS_TOPIC: topic,
      KAFKA_GROUP_ID: uniqueName('group'),
      KAFKA_TOPIC_PARTITIONS: '4',
      SOAR_ROLES: 'ingestor',
    });
    await waitFor(
      '10,000 stored alerts',
      async () => (await countOf(db, 'SELECT count(*) FROM alert')) >= 10_000,
    );

    const dlq = await consumeAll(kafka, `${topic}.dlq`, bad.length + poison.length);
    expect(dlq).toHaveLength(bad.length + poison.length);
    for (const record of dlq) {
      expect(record.headers[DLQ_HEADERS.errorCode]).toMatch(
        /^(malformed_json|unknown_format|unsupported_event|invalid_alert|storage_rejected)$/,
      );
      expect(record.headers[DLQ_HEADERS.error]).toBeTruthy();
      expect(record.headers[DLQ_HEADERS.topic]).toBe(topic);
      expect(record.headers[DLQ_HEADERS.offset]).toMatch(/^\d+$/);
    }
    expect(dlq.map((record) => record.key).sort()).toEqual(
      [...bad, ...poison].map((record) => record.key).sort(),
    );
    expect(dlq.filter((record) => record.headers[DLQ_HEADERS.errorCode] === 'storage_rejected')).toHaveLength(
      3,
    );
    const mixed = dlq.find((record) => record.key === 'mixed-deep');
    expect(mixed?.headers).toMatchObject({
      [DLQ_HEADERS.errorCode]: 'invalid_alert',
      [DLQ_HEADERS.item]: '1',
    });

    expect(await countOf(db, 'SELECT count(*) FROM alert')).toBe(10_000);
    expect(await countOf(db, 'SELECT count(*) FROM incident_alert')).toBe(10_000);
    expect(await incidentGroups(db)).toEqual(dataset.expectedIncidents);
    const formats = await db.query<{ format: string; count: string }>(
      'SELECT format, count(*)::text AS count FROM alert GROUP BY format ORDER BY format',
    );
    expect(formats.map((row) => row.format)).toEqual([
      'cef',
      'elastic',
      'ocsf',
      'splunk',
      'suricata',
      'wazuh',
    ]);
    // Every pair was bridged: the incident that absorbed its partner says so in the timeline.
    expect(await countOf(db, "SELECT count(*) FROM incident WHERE status = 'merged'")).toBeLessThanOrEqual(
      100,
    );
    expect(
      await countOf(db, "SELECT count(*) FROM incident WHERE status <> 'merged' AND alert_count <> 100"),
    ).toBe(0);
  });
});
