import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';

import { testResilience, testRuntime, WebhookFake } from '@rampart/vendor-fakes';

import { ConnectorErrorCode } from '../domain/connector-error';
import { SlackNotifyAdapter } from './notify/slack-notify.adapter';
import { WebhookNotifyAdapter } from './notify/webhook-notify.adapter';

const incident = {
  title: 'Ransomware on ws-042',
  severity: 'critical',
  hosts: ['ws-042', 'ws-043'],
  alert: { rule: 'Mass file rename', user: 'alice' },
};

describe('Slack-compatible webhook', () => {
  const fake = new WebhookFake({ mode: 'slack' });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.received.length = 0;
    fake.clearFaults();
  });

  function slack(template?: string): SlackNotifyAdapter {
    return new SlackNotifyAdapter({
      name: 'soc-channel',
      baseUrl: fake.endpoint,
      credentials: { webhookPath: fake.hookPath },
      ...(template ? { template } : {}),
      username: 'Rampart',
      runtime: testRuntime(),
      resilience: testResilience(),
    });
  }

  it('posts the rendered Handlebars message as {text}', async () => {
    const result = await slack(
      '*{{upper severity}}*: {{title}} on {{join hosts ", "}} ({{alert.rule}})',
    ).send({ data: incident }, { idempotencyKey: 'run-1:notify' });
    expect(result).toMatchObject({ status: 'changed', idempotencyKey: 'run-1:notify' });
    expect(fake.received[0]?.body).toEqual({
      text: '*CRITICAL*: Ransomware on ws-042 on ws-042, ws-043 (Mass file rename)',
      username: 'Rampart',
    });
  });

  it('escapes alert data so it cannot ping channels or forge links', async () => {
    await slack('Alert: {{title}}').send({
      data: { title: '<!channel> <https://evil.example|click> & more' },
    });
    expect(fake.received[0]?.body).toMatchObject({
      text: 'Alert: &lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; more',
    });
  });

  it('retries a 5xx and honours Retry-After on 429', async () => {
    const runtime = testRuntime();
    const adapter = new SlackNotifyAdapter({
      name: 's',
      baseUrl: fake.endpoint,
      credentials: { webhookPath: fake.hookPath },
      runtime,
      resilience: testResilience(),
    });
    fake
      .failNext(1, { kind: 'status', status: 500 })
      .failNext(1, { kind: 'rate_limit', retryAfterSeconds: 3 });
    await expect(adapter.send({ data: incident })).resolves.toMatchObject({ status: 'changed' });
    expect(runtime.sleeps).toHaveLength(2);
    expect(runtime.sleeps[1]).toBe(3_000);
  });

  it("maps Slack's error tokens and never shows the secret hook path", async () => {
    const adapter = new SlackNotifyAdapter({
      name: 's',
      baseUrl: fake.endpoint,
      credentials: { webhookPath: '/services/T0FAKE001/B0FAKE002/revokedSecret999' },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    const failure = await adapter.send({ data: incident }).catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: ConnectorErrorCode.NotFound,
      vendorCode: 'no_service',
      vendorStatus: 404,
    });
    const surfaces = [
      JSON.stringify(failure),
      inspect(failure),
      JSON.stringify(adapter),
      inspect(adapter, { showHidden: true }),
    ].join('\n');
    expect(surfaces).not.toContain('revokedSecret999');
  });

  it('times out when the receiver hangs', async () => {
    const adapter = new SlackNotifyAdapter({
      name: 's',
      baseUrl: fake.endpoint,
      credentials: { webhookPath: fake.hookPath },
      runtime: testRuntime(),
      resilience: testResilience({ timeoutMs: 100 }),
    });
    fake.failNext(1, { kind: 'hang' });
    await expect(adapter.send({ data: incident })).rejects.toMatchObject({
      code: ConnectorErrorCode.Timeout,
    });
  });

  it('refuses a webhook path that is not a plain path', () => {
    for (const webhookPath of ['https://evil.example/hook', '/services/../admin', 'services/x']) {
      expect(
        () => new SlackNotifyAdapter({ name: 's', baseUrl: fake.endpoint, credentials: { webhookPath } }),
      ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });
});

describe('generic JSON webhook', () => {
  const fake = new WebhookFake({ mode: 'json', bearerToken: 'receiver-bearer-token' });
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.received.length = 0;
  });

  it('posts {event, text, data} with the bearer token and a verifiable Standard Webhooks signature', async () => {
    const runtime = testRuntime(1_700_000_000_000);
    const secret = `whsec_${Buffer.from('sixteen-byte-key').toString('base64')}`;
    const webhook = new WebhookNotifyAdapter({
      name: 'soar-bus',
      baseUrl: fake.endpoint,
      credentials: { bearerToken: 'receiver-bearer-token', signingSecret: secret },
      template: '{{title}} ({{severity}})',
      runtime,
      resilience: testResilience(),
    });
    const result = await webhook.send({ data: incident }, { idempotencyKey: 'run-2:notify' });
    expect(result).toMatchObject({ status: 'changed', vendorRef: 'run-2:notify' });
    const message = fake.received[0];
    expect(message?.body).toEqual({
      event: 'rampart.notification',
      text: 'Ransomware on ws-042 (critical)',
      data: incident,
      idempotencyKey: 'run-2:notify',
    });
    expect(message?.headers['idempotency-key']).toBe('run-2:notify');
    expect(message?.headers['webhook-timestamp']).toBe('1700000000');
    const expected = createHmac('sha256', Buffer.from('sixteen-byte-key'))
      .update(`run-2:notify.1700000000.${message?.rawBody ?? ''}`)
      .digest('base64');
    expect(message?.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(JSON.stringify(webhook) + inspect(webhook, { showHidden: true })).not.toContain(
      'receiver-bearer-token',
    );
  });

  it('reports a rejected bearer token as auth_failed without the token', async () => {
    const webhook = new WebhookNotifyAdapter({
      name: 'bus',
      baseUrl: fake.endpoint,
      credentials: { bearerToken: 'stale-token-abc' },
      runtime: testRuntime(),
      resilience: testResilience(),
    });
    const failure = await webhook.send({ data: incident }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: ConnectorErrorCode.AuthFailed, vendorStatus: 401 });
    expect(JSON.stringify(failure)).not.toContain('stale-token-abc');
  });
});

describe('notify templates', () => {
  it('refuses a template that does not compile when the adapter is built, as invalid_request', () => {
    expect(
      () =>
        new WebhookNotifyAdapter({
          name: 'bad-template',
          baseUrl: 'https://hooks.example.test/notify',
          credentials: {},
          template: '{{#if x}}unclosed',
        }),
    ).toThrow(expect.objectContaining({ code: 'invalid_request' }));
  });
});
