import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { EgressPolicy } from '../domain/egress-policy';
import { Egress, isEgressDenied } from './egress';

let server: http.Server;
let port: number;
let requests = 0;

beforeAll(async () => {
  server = http.createServer((_request, response) => {
    requests += 1;
    response.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function get(egress: Egress, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host, port, path: '/', agent: egress.httpAgent }, (response) => {
      response.resume();
      response.on('end', () => resolve(String(response.statusCode)));
    });
    request.on('error', reject);
  });
}

describe('Egress agents', () => {
  it('refuse a literal loopback address before connecting', async () => {
    const before = requests;
    const failure = await get(new Egress(EgressPolicy.strict()), '127.0.0.1').catch(
      (error: unknown) => error,
    );
    expect(isEgressDenied(failure)).toBe(true);
    expect((failure as Error).message).toContain('loopback');
    expect(requests).toBe(before);
  });

  it('refuse a name that resolves to loopback, in the lookup the socket uses', async () => {
    const before = requests;
    const failure = await get(new Egress(EgressPolicy.strict()), 'localhost').catch(
      (error: unknown) => error,
    );
    expect(isEgressDenied(failure)).toBe(true);
    expect(requests).toBe(before);
  });

  it('connect where the allow-list opts in, by CIDR or by name', async () => {
    await expect(get(new Egress(EgressPolicy.fromAllowList(['127.0.0.0/8'])), '127.0.0.1')).resolves.toBe(
      '200',
    );
    await expect(get(new Egress(EgressPolicy.fromAllowList(['localhost'])), 'localhost')).resolves.toBe(
      '200',
    );
  });
});
