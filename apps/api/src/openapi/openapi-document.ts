import { ALERT_FORMATS, SEVERITY_NAMES } from '@rampart/alerts';
import {
  createConnectorBody,
  executeActionBody,
  rollbackActionBody,
  updateConnectorBody,
} from '@rampart/connectors';
import { INCIDENT_STATUSES, updateIncidentBody } from '@rampart/incidents';
import { z } from 'zod';

const error = { $ref: '#/components/schemas/Error' };
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((code) => [String(code), { description: ERROR_TEXT[code] ?? 'error', content: json(error) }]),
  );
const json = (schema: unknown) => ({ 'application/json': { schema } });
const ERROR_TEXT: Record<number, string> = {
  400: 'invalid input; `field` names it',
  401: 'missing, malformed or unknown API key, or a bad webhook signature',
  403: 'the key’s role may not do this',
  404: 'not found',
  409: 'the change conflicts with the incident’s state',
  413: 'body over the size limit',
  422: 'nothing in the body could be accepted',
};

const incidentSummary = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'integer' },
    title: { type: 'string' },
    status: { enum: [...INCIDENT_STATUSES] },
    severity: { enum: [...SEVERITY_NAMES] },
    severityId: { type: 'integer', minimum: 1, maximum: 5 },
    assignee: { type: ['string', 'null'] },
    alertCount: { type: 'integer' },
    firstSeen: { type: 'string', format: 'date-time' },
    lastSeen: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    acknowledgedAt: { type: ['string', 'null'], format: 'date-time' },
    containedAt: { type: ['string', 'null'], format: 'date-time' },
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    mergedIntoId: { type: ['string', 'null'], format: 'uuid' },
  },
};

const bodyOf = (schema: z.ZodType) => ({
  required: true,
  content: json(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })),
});
const pathParam = (name: string, format?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: format ? { type: 'string', format } : { type: 'string' },
});

const query = (name: string, description: string, schema: unknown = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

/** The published description of the HTTP API, served at GET /api/docs. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Rampart API',
      version: '1',
      description:
        'Security orchestration, automation and response. Authenticate with `Authorization: Bearer <api key>`. ' +
        'Errors answer `{ statusCode, code, message, field? }`; a 5xx carries an `errorId` that is also in the server log.',
    },
    security: [{ apiKey: [] }],
    paths: {
      '/api/v1/alerts': {
        post: {
          summary: 'Send alerts (webhook intake)',
          description:
            'One alert, a JSON array, NDJSON or CEF lines, in any supported format (auto-detected, or `format`). ' +
            'A source with an HMAC secret must sign: `X-Soar-Signature: sha256=<hex of HMAC-SHA256(secret, "<timestamp>.<raw body>")>` ' +
            'with `X-Soar-Timestamp` (Unix seconds, ±300 s); a signature is accepted once. Roles: admin, analyst, ingest.',
          parameters: [
            query('format', 'skip detection and read every alert as this format', {
              enum: [...ALERT_FORMATS],
            }),
            query('source', 'the intake source (or header X-Soar-Source)'),
            { name: 'X-Soar-Source', in: 'header', required: false, schema: { type: 'string' } },
            {
              name: 'X-Soar-Signature',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^sha256=[0-9a-f]{64}$' },
            },
            {
              name: 'X-Soar-Timestamp',
              in: 'header',
              required: false,
              schema: { type: 'string', pattern: '^\\d+$' },
            },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }] },
              },
              'application/x-ndjson': { schema: { type: 'string' } },
              'text/plain': {
                schema: { type: 'string', description: 'CEF lines, optionally with a syslog prefix' },
              },
            },
          },
          responses: {
            '202': {
              description: 'per-item results',
              content: json({ $ref: '#/components/schemas/IntakeResult' }),
            },
            ...errors(400, 401, 403, 413, 422),
          },
        },
      },
      '/api/v1/intake-sources': {
        get: {
          summary: 'List intake sources (admin)',
          responses: { '200': { description: 'sources; secrets are never returned' }, ...errors(401, 403) },
        },
      },
      '/api/v1/intake-sources/{name}': {
        put: {
          summary: 'Create or update an intake source and its HMAC secret (admin)',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              properties: { hmacSecret: { type: ['string', 'null'], minLength: 16 } },
              required: ['hmacSecret'],
            }),
          },
          responses: { '200': { description: 'the source, without its secret' }, ...errors(400, 401, 403) },
        },
        delete: {
          summary: 'Delete an intake source (admin)',
          parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '204': { description: 'deleted' }, ...errors(401, 403, 404) },
        },
      },
      '/api/v1/incidents': {
        get: {
          summary: 'List incidents, newest first (roles: admin, analyst, auditor)',
          parameters: [
            query('status', 'comma list; default all but merged'),
            query('severity', 'comma list of informational, low, medium, high, critical'),
            query('entity', '`type:value` (host:web-01) or a bare value'),
            query('assignee', 'exact assignee'),
            query('from', 'activity overlapping from this time (ISO 8601)'),
            query('to', 'activity overlapping up to this time (ISO 8601)'),
            query('limit', '1..200, default 50', { type: 'integer' }),
            query('cursor', 'nextCursor of the previous page'),
          ],
          responses: {
            '200': {
              description: 'a page',
              content: json({
                type: 'object',
                properties: {
                  items: { type: 'array', items: incidentSummary },
                  nextCursor: { type: ['string', 'null'] },
                },
              }),
            },
            ...errors(400, 401, 403),
          },
        },
      },
      '/api/v1/incidents/{id}/alerts': {
        get: {
          summary:
            "An incident's alerts in event-time order, a page at a time (roles: admin, analyst, auditor)",
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
            query('limit', '1..1000, default 200', { type: 'integer' }),
            query('cursor', "nextCursor of the previous page, or the detail's alertsNextCursor"),
          ],
          responses: { '200': { description: '{items, nextCursor}' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/incidents/{id}': {
        get: {
          summary:
            'An incident with its alerts (the first 1000 by event time; alertsNextCursor pages on with ' +
            '/alerts), entities, rule matches, actions and timeline',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          responses: { '200': { description: 'the incident' }, ...errors(400, 401, 403, 404) },
        },
        patch: {
          summary: 'Change status (lifecycle transitions only), assignee or severity (roles: admin, analyst)',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
          ],
          requestBody: {
            required: true,
            content: json(z.toJSONSchema(updateIncidentBody, { io: 'input', unrepresentable: 'any' })),
          },
          responses: {
            '200': { description: 'the incident after the change' },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/api/v1/connectors': {
        get: {
          summary: 'List connector instances (admin); credentials are never returned',
          responses: { '200': { description: 'instances' }, ...errors(401, 403) },
        },
        post: {
          summary: 'Create a connector instance (admin); credentials are sealed with SOAR_MASTER_KEY',
          requestBody: bodyOf(createConnectorBody),
          responses: {
            '201': { description: 'the instance, without credentials' },
            ...errors(400, 401, 403, 409),
          },
        },
      },
      '/api/v1/connectors/{name}': {
        get: {
          summary: 'A connector instance (admin)',
          parameters: [pathParam('name')],
          responses: { '200': { description: 'the instance' }, ...errors(401, 403, 404) },
        },
        put: {
          summary: 'Update a connector instance (admin); omitted credentials stay as they are',
          parameters: [pathParam('name')],
          requestBody: bodyOf(updateConnectorBody),
          responses: { '200': { description: 'the instance' }, ...errors(400, 401, 403, 404, 409) },
        },
        delete: {
          summary:
            'Delete a connector instance (admin); refused while it has pending or expiring actions, ' +
            'and while permanent reversible actions are in force unless force=true',
          parameters: [
            pathParam('name'),
            query('force', 'true: delete even though permanent actions stay in force at the vendor', {
              type: 'boolean',
            }),
          ],
          responses: { '204': { description: 'deleted' }, ...errors(401, 403, 404, 409) },
        },
      },
      '/api/v1/connectors/{name}/check': {
        post: {
          summary:
            'Check a connector instance with read-only vendor calls (admin): ' +
            '{connector, type, status: ok | failed | not_checkable, checked?, error?: {code, message, retryable, vendorStatus?}, durationMs}',
          parameters: [pathParam('name')],
          responses: { '200': { description: 'the check result' }, ...errors(401, 403, 404) },
        },
      },
      '/api/v1/actions': {
        get: {
          summary: 'Containment actions, newest first (roles: admin, analyst, auditor)',
          parameters: [
            query('state', 'comma list: pending, succeeded, failed, rolled_back, rollback_failed, expired'),
            query('operation', 'comma list of operations'),
            query('connector', 'connector instance name'),
            query('incidentId', 'actions taken for this incident'),
            query('limit', '1..200, default 50', { type: 'integer' }),
            query('cursor', 'nextCursor of the previous page'),
          ],
          responses: { '200': { description: 'a page of actions' }, ...errors(400, 401, 403) },
        },
        post: {
          summary: 'Execute a containment action once per idempotency key (roles: admin, analyst)',
          description:
            '201 for a new action; 200 with the stored record when the key was seen; 409 when the key was used for another request.',
          requestBody: bodyOf(executeActionBody),
          responses: {
            '201': { description: 'the action record' },
            '200': { description: 'the stored record' },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/api/v1/actions/{id}': {
        get: {
          summary: 'One action with its rollbacks',
          parameters: [pathParam('id', 'uuid')],
          responses: { '200': { description: 'the action' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/actions/{id}/vendor-state': {
        get: {
          summary:
            'Ask the vendor now whether the action is in force (roles: admin, analyst, auditor): ' +
            '{actionId, connector, operation, target, observed: applied | not_applied | unknown | indeterminate, ' +
            'vendorStatus?, detail?, error?, checkedAt}; read-only',
          parameters: [pathParam('id', 'uuid')],
          responses: { '200': { description: 'what the vendor shows' }, ...errors(400, 401, 403, 404) },
        },
      },
      '/api/v1/actions/{id}/rollback': {
        post: {
          summary: 'Undo an action through its connector (roles: admin, analyst); idempotent',
          parameters: [pathParam('id', 'uuid')],
          requestBody: {
            required: false,
            content: json(z.toJSONSchema(rollbackActionBody, { io: 'input', unrepresentable: 'any' })),
          },
          responses: {
            '200': { description: 'the action after the rollback' },
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics (roles: admin, analyst, auditor)',
          responses: { '200': { description: 'Prometheus text exposition format' }, ...errors(401, 403) },
        },
      },
      '/health/live': {
        get: { summary: 'Liveness', security: [], responses: { '200': { description: 'up' } } },
      },
      '/health/ready': {
        get: {
          summary: 'Readiness: PostgreSQL answers',
          security: [],
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/api/docs': {
        get: { summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } },
      },
    },
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'an API key' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['statusCode', 'code', 'message'],
          properties: {
            statusCode: { type: 'integer' },
            code: { type: 'string' },
            message: { type: 'string' },
            field: { type: 'string' },
            details: {},
            errorId: { type: 'string' },
          },
        },
        IntakeResult: {
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            duplicate: { type: 'integer' },
            rejected: { type: 'integer' },
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  index: { type: 'integer' },
                  status: { enum: ['accepted', 'duplicate', 'rejected'] },
                  alertId: { type: 'string', format: 'uuid' },
                  code: { type: 'string' },
                  reason: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}
