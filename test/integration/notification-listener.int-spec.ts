import { Client } from 'pg';

import { PgNotificationListener } from '@rampart/database';

import { eventually } from '../support/connector-support';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// The listening connection only receives. When the path to PostgreSQL goes silent (a firewall or
// NAT forgetting an idle flow, a peer gone without a reset), no error ever comes: the caches that
// trust it would keep serving what they hold. A heartbeat that goes unanswered ends it as lost.
const CHANNEL = 'rampart_listener_test';
const TIMING = { heartbeatMs: 200, heartbeatTimeoutMs: 500 };

let db: TestDatabase;
let proxy: FaultProxy;
let listener: PgNotificationListener;

beforeAll(async () => {
  db = await createTestDatabase('listener');
  const url = new URL(db.url);
  proxy = await startFaultProxy(Number(url.port || 5432));
  url.hostname = '127.0.0.1';
  url.port = String(proxy.port);
  listener = new PgNotificationListener(url.toString(), TIMING);
});

afterAll(async () => {
  await listener?.onModuleDestroy();
  await proxy?.close();
  await db?.drop();
});

async function notify(): Promise<void> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(`NOTIFY ${CHANNEL}`);
  } finally {
    await client.end();
  }
}

describe('the notification listener', () => {
  it('takes a connection that stopped answering for lost, listens again once the path is back, and wakes its subscribers', async () => {
    let wakes = 0;
    listener.subscribe(CHANNEL, () => (wakes += 1));
    await eventually(async () => (listener.isListening(CHANNEL) ? true : undefined), 5_000, 10);

    await notify();
    await eventually(async () => (wakes >= 2 ? true : undefined), 5_000, 10); // reconnection + NOTIFY

    // Silence: every byte held back in both directions (for 3 s, six heartbeat timeouts), no error
    // on the socket.
    proxy.setDelay(3_000);
    await eventually(async () => (listener.isListening(CHANNEL) ? undefined : true), 3_000, 10);

    proxy.setDelay(0);
    const before = wakes;
    await eventually(async () => (listener.isListening(CHANNEL) ? true : undefined), 15_000, 10);
    // Woken after the reconnection, for whatever was notified while nobody listened.
    expect(wakes).toBeGreaterThan(before);

    const afterReconnect = wakes;
    await notify();
    await eventually(async () => (wakes > afterReconnect ? true : undefined), 5_000, 10);
  }, 30_000);
});
