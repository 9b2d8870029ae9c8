import request from 'supertest';

import { isPermission } from '@rampart/auth';

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

type Operation = { summary?: string; security?: unknown[]; 'x-rampart-permission'?: string | null };

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

  it('gives every operation a summary, and every non-public one a permission of the matrix', async () => {
    const response = await request(rampart.url).get('/api/docs').expect(200);
    const problems: string[] = [];
    for (const [path, operations] of Object.entries(response.body.paths as Record<string, object>)) {
      for (const [method, operation] of Object.entries(operations as Record<string, Operation>)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!operation.summary || operation.summary.startsWith('UNDOCUMENTED')) {
          problems.push(`${where}: no @ApiDoc`);
        }
        const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
        const permission = operation['x-rampart-permission'];
        if (!isPublic && !(typeof permission === 'string' && isPermission(permission))) {
          problems.push(`${where}: no @RequirePermission`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('builds parameters and bodies from the zod schemas that validate them', async () => {
    const response = await request(rampart.url).get('/api/docs').expect(200);
    const list = response.body.paths['/api/v1/incidents'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['status', 'severity', 'entity', 'limit', 'cursor']),
    );
    const execute = response.body.paths['/api/v1/actions'].post;
    expect(execute.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['connector', 'operation', 'target']),
    );
    expect(execute['x-rampart-permission']).toBe('actions:execute');
  });
});
