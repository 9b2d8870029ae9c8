import { randomUUID } from 'node:crypto';

import { bearerToken, FakeRequest, FakeResponse, FakeServer, FakeTokenIssuer } from './fake-server';

/*
 * Microsoft Defender for Endpoint API fake, with the Entra token endpoint on the same server.
 *
 * Verified (learn.microsoft.com, Cortex-Analyzers MSDefenderEndpoints responder):
 *   - token: POST /{tenant}/oauth2/token, form resource + client_id + client_secret +
 *     grant_type=client_credentials -> {access_token, expires_in, ...}
 *   - POST /api/machines/{id}/isolate {Comment (required), IsolationType Full|Selective},
 *     POST /api/machines/{id}/unisolate {Comment}, POST .../collectInvestigationPackage {Comment};
 *     each answers 201 with a MachineAction
 *   - MachineAction fields and status values Pending/InProgress/Succeeded/Failed/TimeOut/Cancelled
 *   - GET /api/machineactions supports $filter on machineId, type, status, requestor
 *   - GET /api/machines?$filter=computerDnsName eq '...', GET /api/machines/findbyip(ip=..,timestamp=..)
 *   - 100 calls per minute per API
 * Partly verified:
 *   - 400 {"error":{"code":"ActiveRequestAlreadyExists"}} while an action of that type is pending
 * Assumed:
 *   - 429 carries Retry-After (seconds); 401 / 404 error codes and texts
 *   - Entra v1 answers expires_in as a string and 401 invalid_client for a bad secret
 *   - an action advances one status step per read of the action list
 *   - isolating an already isolated machine is accepted again (adapters check state first)
 */

export interface FakeMachine {
  id: string;
  computerDnsName: string;
  lastIpAddress: string;
  osPlatform: string;
  lastSeen: string;
  healthStatus: string;
}

export interface FakeMachineAction {
  id: string;
  type: 'Isolate' | 'Unisolate' | 'CollectInvestigationPackage';
  scope: string | null;
  requestor: string;
  requestorComment: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';
  machineId: string;
  computerDnsName: string;
  creationDateTimeUtc: string;
  lastUpdateDateTimeUtc: string;
  relatedFileInfo: null;
}

export interface MdeFakeOptions {
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  machines?: Array<Partial<FakeMachine> & { id: string; computerDnsName: string }>;
  /** API calls per minute before 429 (default 100, as documented). */
  callsPerMinute?: number;
}

const TYPES: Record<string, FakeMachineAction['type']> = {
  isolate: 'Isolate',
  unisolate: 'Unisolate',
  collectInvestigationPackage: 'CollectInvestigationPackage',
};
const NEXT: Partial<Record<FakeMachineAction['status'], FakeMachineAction['status']>> = {
  Pending: 'InProgress',
  InProgress: 'Succeeded',
};

export class MdeFake extends FakeServer {
  readonly vendor = 'Microsoft Defender for Endpoint';
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokens: FakeTokenIssuer;
  readonly machines = new Map<string, FakeMachine>();
  readonly actions: FakeMachineAction[] = [];
  private readonly callsPerMinute: number;
  private window = { start: 0, calls: 0 };
  private sequence = 0;

  constructor(options: MdeFakeOptions = {}) {
    super();
    this.tenantId = options.tenantId ?? '11111111-2222-3333-4444-555555555555';
    this.clientId = options.clientId ?? 'fake-mde-app-id';
    this.clientSecret = options.clientSecret ?? 'fake-mde-app-secret';
    this.tokens = new FakeTokenIssuer(options.tokenLifetimeSeconds ?? 3599);
    this.callsPerMinute = options.callsPerMinute ?? 100;
    for (const machine of options.machines ?? []) {
      this.machines.set(machine.id, {
        lastIpAddress: '10.0.0.1',
        osPlatform: 'Windows11',
        lastSeen: new Date().toISOString(),
        healthStatus: 'Active',
        ...machine,
      });
    }
    this.route(
      'POST',
      /^\/(?<tenant>[^/]+)\/oauth2\/(?:v2\.0\/)?token$/,
      'token',
      (request) => this.token(request),
      {
        faultable: false,
      },
    );
    this.route('GET', '/api/machines', 'machines.list', (request) =>
      this.api(request, () => this.listMachines(request)),
    );
    this.route(
      'GET',
      /^\/api\/machines\/findbyip\(ip=(?:'|%27)(?<ip>[^'%]+)(?:'|%27),timestamp=(?<timestamp>[^)]+)\)$/,
      'machines.findbyip',
      (request) => this.api(request, () => this.findByIp(request)),
    );
    this.route('GET', '/api/machineactions', 'machineactions.list', (request) =>
      this.api(request, () => this.listActions(request)),
    );
    this.route('GET', '/api/machineactions/:id', 'machineactions.get', (request) =>
      this.api(request, () => this.getAction(request)),
    );
    this.route(
      'POST',
      /^\/api\/machines\/(?<machineId>[^/]+)\/(?<action>isolate|unisolate|collectInvestigationPackage)$/,
      'machines.action',
      (request) => this.api(request, () => this.act(request)),
    );
  }

  /** Token URL for adapters (the Entra v1 shape, on this server). */
  tokenUrl(): string {
    return `${this.baseUrl}/${this.tenantId}/oauth2/token`;
  }

  /** True when the newest non-failed isolate/unisolate action of the machine is an Isolate. */
  isolated(machineId: string): boolean {
    const latest = [...this.actions]
      .reverse()
      .find(
        (action) =>
          action.machineId === machineId &&
          action.type !== 'CollectInvestigationPackage' &&
          !['Failed', 'TimeOut', 'Cancelled'].includes(action.status),
      );
    return latest?.type === 'Isolate';
  }

  /** Number of machine actions created, of the given types. */
  acceptedActions(types: Array<FakeMachineAction['type']>): number {
    return this.actions.filter((action) => types.includes(action.type)).length;
  }

  protected override rateLimitResponse(retryAfterSeconds: number): FakeResponse {
    return {
      status: 429,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded.', target: randomUUID() } },
    };
  }

  protected override faultResponse(status: number): FakeResponse {
    return {
      status,
      body: { error: { code: 'InternalServerError', message: 'An error occurred.', target: randomUUID() } },
    };
  }

  private token(request: FakeRequest): FakeResponse {
    const form = request.form;
    if (
      request.params.tenant !== this.tenantId ||
      form.get('client_id') !== this.clientId ||
      form.get('client_secret') !== this.clientSecret ||
      form.get('grant_type') !== 'client_credentials'
    ) {
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description:
            'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 0\r\nTimestamp: now',
          error_codes: [7000215],
        },
      };
    }
    if (!form.get('resource') && !form.get('scope')) {
      return {
        status: 400,
        body: { error: 'invalid_request', error_description: 'AADSTS900144: resource or scope is required.' },
      };
    }
    const { token, expiresIn } = this.tokens.issue();
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: String(expiresIn),
        ext_expires_in: String(expiresIn),
        expires_on: String(Math.floor(Date.now() / 1000) + expiresIn),
        resource: form.get('resource') ?? 'https://api.securitycenter.microsoft.com',
        access_token: token,
      },
    };
  }

  private api(request: FakeRequest, handle: () => FakeResponse): FakeResponse {
    if (!this.tokens.isValid(bearerToken(request))) {
      return {
        status: 401,
        body: { error: { code: 'Unauthorized', message: 'Authorization token is invalid or expired.' } },
      };
    }
    const now = Date.now();
    if (now - this.window.start >= 60_000) this.window = { start: now, calls: 0 };
    this.window.calls += 1;
    if (this.window.calls > this.callsPerMinute) {
      return this.rateLimitResponse(Math.ceil((this.window.start + 60_000 - now) / 1000));
    }
    return handle();
  }

  private listMachines(request: FakeRequest): FakeResponse {
    const filter = request.query.get('$filter');
    let machines = [...this.machines.values()];
    if (filter !== null) {
      const match = /^computerDnsName eq '([^']*)'$/.exec(filter);
      if (!match) return badRequest('InvalidODataQuery', 'Unsupported $filter');
      machines = machines.filter(
        (machine) => machine.computerDnsName.toLowerCase() === (match[1] ?? '').toLowerCase(),
      );
    }
    return {
      status: 200,
      body: { '@odata.context': `${this.baseUrl}/api/$metadata#Machines`, value: machines },
    };
  }

  private findByIp(request: FakeRequest): FakeResponse {
    if (Number.isNaN(Date.parse(request.params.timestamp ?? '')))
      return badRequest('InvalidRequest', 'Invalid timestamp');
    const machines = [...this.machines.values()].filter(
      (machine) => machine.lastIpAddress === request.params.ip,
    );
    return {
      status: 200,
      body: { '@odata.context': `${this.baseUrl}/api/$metadata#Machines`, value: machines },
    };
  }

  private listActions(request: FakeRequest): FakeResponse {
    const filter = request.query.get('$filter');
    let actions = this.actions;
    if (filter !== null) {
      const match = /^machineId eq '([^']*)'$/.exec(filter);
      if (!match) return badRequest('InvalidODataQuery', 'Unsupported $filter');
      actions = actions.filter((action) => action.machineId === match[1]);
    }
    actions.forEach((action) => this.advance(action));
    return {
      status: 200,
      body: {
        '@odata.context': `${this.baseUrl}/api/$metadata#MachineActions`,
        value: actions.map((action) => ({ ...action })),
      },
    };
  }

  private getAction(request: FakeRequest): FakeResponse {
    const action = this.actions.find((candidate) => candidate.id === request.params.id);
    if (!action)
      return {
        status: 404,
        body: { error: { code: 'ResourceNotFound', message: 'Machine action was not found' } },
      };
    this.advance(action);
    return { status: 200, body: { ...action } };
  }

  private act(request: FakeRequest): FakeResponse {
    const machine = this.machines.get(request.params.machineId ?? '');
    if (!machine)
      return { status: 404, body: { error: { code: 'ResourceNotFound', message: 'Machine was not found' } } };
    const type = TYPES[request.params.action ?? ''];
    const body = (request.json ?? {}) as { Comment?: unknown; IsolationType?: unknown };
    if (!type) return badRequest('InvalidRequest', 'Unknown action');
    if (typeof body.Comment !== 'string' || body.Comment === '')
      return badRequest('InvalidRequestBody', 'Comment is required');
    if (
      type === 'Isolate' &&
      body.IsolationType !== undefined &&
      body.IsolationType !== 'Full' &&
      body.IsolationType !== 'Selective'
    ) {
      return badRequest('InvalidRequestBody', 'IsolationType must be Full or Selective');
    }
    const pending = this.actions.some(
      (action) =>
        action.machineId === machine.id &&
        action.type === type &&
        (action.status === 'Pending' || action.status === 'InProgress'),
    );
    if (pending)
      return badRequest(
        'ActiveRequestAlreadyExists',
        `Action type ${type} for machine ${machine.id} is already in progress`,
      );
    const now = new Date(Date.now() + this.sequence++).toISOString();
    const action: FakeMachineAction = {
      id: randomUUID(),
      type,
      scope: type === 'Isolate' ? String(body.IsolationType ?? 'Full') : null,
      requestor: this.clientId,
      requestorComment: body.Comment,
      status: 'Pending',
      machineId: machine.id,
      computerDnsName: machine.computerDnsName,
      creationDateTimeUtc: now,
      lastUpdateDateTimeUtc: now,
      relatedFileInfo: null,
    };
    this.actions.push(action);
    return {
      status: 201,
      body: { '@odata.context': `${this.baseUrl}/api/$metadata#MachineActions/$entity`, ...action },
    };
  }

  private advance(action: FakeMachineAction): void {
    const next = NEXT[action.status];
    if (next) {
      action.status = next;
      action.lastUpdateDateTimeUtc = new Date().toISOString();
    }
  }
}

function badRequest(code: string, message: string): FakeResponse {
  return { status: 400, body: { error: { code, message, target: randomUUID() } } };
}
