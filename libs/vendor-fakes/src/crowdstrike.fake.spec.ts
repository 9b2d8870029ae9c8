import { CrowdStrikeFake } from './crowdstrike.fake';

// The device query answers like the real Falcon API: without a filter it lists every device;
// with an FQL filter it narrows; a filter it cannot read is refused.
describe('CrowdStrikeFake device query', () => {
  const fake = new CrowdStrikeFake({
    devices: [
      { device_id: 'aid-1', hostname: 'WS-01', local_ip: '10.0.0.11' },
      { device_id: 'aid-2', hostname: 'WS-02', local_ip: '10.0.0.12' },
    ],
  });
  let token = '';

  beforeAll(async () => {
    await fake.start();
    const response = await fetch(`${fake.baseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: fake.clientId, client_secret: fake.clientSecret }).toString(),
    });
    token = ((await response.json()) as { access_token: string }).access_token;
  });

  afterAll(async () => {
    await fake.stop();
  });

  const query = async (search: string) => {
    const response = await fetch(`${fake.baseUrl}/devices/queries/devices/v1${search}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return { status: response.status, body: (await response.json()) as { resources: string[] } };
  };

  it('lists every device when no filter is given', async () => {
    const { status, body } = await query('');
    expect(status).toBe(200);
    expect(body.resources.sort()).toEqual(['aid-1', 'aid-2']);
  });

  it('narrows by an FQL filter', async () => {
    const { body } = await query(`?filter=${encodeURIComponent("hostname:'ws-02'")}`);
    expect(body.resources).toEqual(['aid-2']);
  });

  it('refuses a filter it cannot read', async () => {
    const { status } = await query(`?filter=${encodeURIComponent('nonsense')}`);
    expect(status).toBe(400);
  });
});
