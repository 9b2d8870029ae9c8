import request from 'supertest';

import { startTestRampart, type TestRampart } from '../support/rampart-app';

let rampart: TestRampart;

beforeAll(async () => {
  rampart = await startTestRampart();
});

afterAll(async () => {
  await rampart.stop();
});

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('GET /api/docs', () => {
  it('is an OpenAPI 3.1 document that describes every route the server answers', async () => {
    const response = await request(rampart.url).get('/api/docs').expect(200);
    expect(response.body.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(response.body.paths as Record<string, object>)) {
      for (const method of Object.keys(operations)) documented.add(`${method.toUpperCase()} ${path}`);
    }

    const express = rampart.app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } };
    const served = express.router.stack
      .filter((layer) => layer.route)
      .flatMap((layer) =>
        Object.keys(layer.route?.methods ?? {}).map(
          (method) => `${method.toUpperCase()} ${(layer.route?.path ?? '').replace(/:(\w+)/g, '{$1}')}`,
        ),
      );
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });
});
