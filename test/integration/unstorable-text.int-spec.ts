// Finding 1 of the hardening issue: one alert carrying a NUL or an unpaired surrogate in any field
// failed the whole webhook request with a 500 (and stalled a Kafka partition). Every string now
// crosses one sanitizing boundary before PostgreSQL: such characters are stored as U+FFFD.
import request from 'supertest';

import { buildSampleAlert } from '@rampart/alerts';

import { hostileVariants, UNSTORABLE } from '../support/hostile-alerts';
import { createTopics, produce, testKafka, uniqueName, waitFor } from '../support/kafka-tools';
import { startTestRampart, type TestRampart } from '../support/rampart-app';
import { kafkaBrokers } from '../support/test-database';

let rampart: TestRampart;
const auth = () => ({ Authorization: `Bearer ${rampart.adminKey}` });
const NOW = new Date();
const topic = uniqueName('unstorable');

beforeAll(async () => {
  await createTopics(testKafka(), [topic, `${topic}.dlq`], 1);
  rampart = await startTestRampart({
    KAFKA_BROKERS: kafkaBrokers().join(','),
    KAFKA_ALERTS_TOPIC: topic,
    KAFKA_GROUP_ID: uniqueName('group'),
    KAFKA_TOPIC_PARTITIONS: '1',
    SOAR_ROLES: 'api,ingestor',
  });
});

afterAll(async () => {
  await rampart.stop();
});

interface Item {
  index: number;
  status: string;
  code?: string;
  alertId?: string;
}

describe('unstorable characters in alerts', () => {
  it.each(UNSTORABLE.map((character) => [JSON.stringify(character), character]))(
    'stores every alert with %s in any field of any format, next to good alerts, never answering 500',
    async (_label, character) => {
      const tag = `u${character.charCodeAt(0).toString(16)}`;
      const hostile = hostileVariants(character, tag, NOW);
      const good = [0, 1, 2].map((n) =>
        buildSampleAlert('elastic', { id: `${tag}-good-${n}`, time: NOW, host: `good-${n}` }),
      );
      const body = [good[0], ...hostile.map((variant) => variant.alert), good[1], good[2]];
      const response = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(body).expect(202);
      const items = response.body.items as Item[];
      expect(items.filter((item) => item.code === 'storage_rejected')).toEqual([]);
      for (const index of [0, body.length - 2, body.length - 1]) {
        expect(items[index]).toMatchObject({ status: 'accepted' });
      }
      // Only a field the format needs can make an alert invalid; the database refuses none.
      const refused = items
        .filter((item) => item.status === 'rejected')
        .map((item) => hostile[item.index - 1]?.where);
      expect(refused.length).toBeLessThan(hostile.length / 4);
      const [stored] = await rampart.db.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM alert WHERE id = ANY($1::uuid[])`,
        [items.filter((item) => item.alertId).map((item) => item.alertId)],
      );
      expect(Number(stored?.count)).toBe(response.body.accepted);
    },
  );

  it('stores a NUL vendor id of each format as U+FFFD, and an entity value with a NUL too', async () => {
    const ids = ['elastic', 'ocsf', 'wazuh', 'splunk'] as const;
    const alerts = ids.map((format) =>
      buildSampleAlert(format, { id: `nul\u0000id-${format}`, time: NOW, host: `nul\u0000host-${format}` }),
    );
    const response = await request(rampart.url).post('/api/v1/alerts').set(auth()).send(alerts).expect(202);
    expect(response.body).toMatchObject({ accepted: 4, rejected: 0 });
    const rows = await rampart.db.query<{ external_id: string }>(
      `SELECT external_id FROM alert WHERE external_id LIKE 'nul%id-%' ORDER BY external_id`,
    );
    expect(rows.map((row) => row.external_id)).toEqual(ids.map((format) => `nul\ufffdid-${format}`).sort());
    const entities = await rampart.db.query<{ value: string }>(
      `SELECT value FROM alert_entity WHERE type = 'host' AND value LIKE 'nul%host-%'`,
    );
    expect(entities).toHaveLength(4);
    expect(entities.every((entity) => entity.value.includes('\ufffd'))).toBe(true);
  });

  it('takes a raw NUL byte in a CEF line over text/plain', async () => {
    const line = (buildSampleAlert('cef', { id: 'raw-nul', time: NOW, host: 'cef-host' }) as string).replace(
      'dhost=',
      'dhost=raw\u0000',
    );
    const response = await request(rampart.url)
      .post('/api/v1/alerts')
      .set(auth())
      .set('Content-Type', 'text/plain')
      .send(Buffer.from(line, 'utf8'))
      .expect(202);
    expect(response.body).toMatchObject({ accepted: 1 });
  });

  it('on Kafka, stores a record whose alert has a NUL id with U+FFFD, and the partition moves on', async () => {
    const poisoned = buildSampleAlert('elastic', { id: 'kafka-nul\u0000id', time: NOW, host: 'k1' });
    const after = buildSampleAlert('wazuh', { id: 'kafka-after-nul', time: NOW, host: 'k2' });
    await produce(testKafka(), topic, [
      { key: 'poisoned', value: JSON.stringify(poisoned) },
      { key: 'after', value: JSON.stringify(after) },
    ]);
    await waitFor(
      'the record after the NUL one',
      async () =>
        (await rampart.db.query(`SELECT 1 FROM alert WHERE external_id = 'kafka-after-nul'`)).length === 1,
      60_000,
    );
    const rows = await rampart.db.query(`SELECT 1 FROM alert WHERE external_id = $1`, ['kafka-nul\ufffdid']);
    expect(rows).toHaveLength(1);
  });
});
