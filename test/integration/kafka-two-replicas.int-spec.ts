import { buildAlertDataset } from '../support/alert-dataset';
import { countOf, incidentGroups } from '../support/incident-snapshot';
import { createTopics, produce, testKafka, uniqueName, waitFor } from '../support/kafka-tools';
import { type RampartProcess, startRampartProcess } from '../support/rampart-process';
import { createTestDatabase, kafkaBrokers, type TestDatabase } from '../support/test-database';

const kafka = testKafka();
const databases: TestDatabase[] = [];
const running: RampartProcess[] = [];

afterAll(async () => {
  for (const process of running) await process.stop();
  for (const db of databases) await db.drop();
});

async function groupMembers(groupId: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return groups[0]?.members.filter((member) => member.memberAssignment.length > 0).length ?? 0;
  } finally {
    await admin.disconnect();
  }
}

async function ingest(
  replicas: number,
  records: { key: string; value: string }[],
  total: number,
): Promise<TestDatabase> {
  const db = await createTestDatabase(`replicas_${replicas}`);
  databases.push(db);
  const topic = uniqueName('alerts');
  await createTopics(kafka, [topic], 4);
  const env = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_ALERTS_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueName('group'),
    KAFKA_TOPIC_PARTITIONS: '4',
    SOAR_ROLES: 'ingestor',
  };
  const started = await Promise.all(Array.from({ length: replicas }, () => startRampartProcess(env)));
  running.push(...started);
  // Every replica owns partitions before the storm starts, so the work is really shared.
  await waitFor(
    `${replicas} members with partitions`,
    async () => (await groupMembers(env.KAFKA_GROUP_ID)) === replicas,
    60_000,
  );
  await produce(kafka, topic, records);
  await waitFor(
    `${total} alerts with ${replicas} replica(s)`,
    async () => (await countOf(db, 'SELECT count(*) FROM alert')) >= total,
  );
  return db;
}

describe('correlation with several ingestor replicas', () => {
  it('gives two consumers of one group the same incidents as one consumer', async () => {
    // Keys spread a group's alerts over all partitions, so both replicas see parts of every incident.
    const dataset = buildAlertDataset({ pairs: 20, perGroup: 40, tag: 'replica' });
    const one = await ingest(1, dataset.records, dataset.records.length);
    const two = await ingest(2, dataset.records, dataset.records.length);

    const oneGroups = await incidentGroups(one);
    expect(oneGroups).toEqual(dataset.expectedIncidents);
    expect(await incidentGroups(two)).toEqual(oneGroups);
    expect(await countOf(two, 'SELECT count(*) FROM incident_alert')).toBe(dataset.records.length);
  });
});
