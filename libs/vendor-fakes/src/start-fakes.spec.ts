import { startAllFakes } from './start-fakes';

describe('startAllFakes', () => {
  it('starts every vendor fake on loopback, seeded, and stops them', async () => {
    const { fakes, stop } = await startAllFakes({ basePort: 0 });
    try {
      expect(
        fakes
          .map((fake) => fake.types)
          .flat()
          .sort(),
      ).toEqual(
        ['crowdstrike', 'fortigate', 'fortigate-sslvpn', 'mde', 'okta', 'panos', 'slack', 'webhook'].sort(),
      );
      for (const fake of fakes) expect(fake.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    } finally {
      await stop();
    }
  });
});
