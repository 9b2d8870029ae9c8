import { randomUUID } from 'node:crypto';

import { bearerToken, FakeRequest, FakeResponse, FakeServer, FakeTokenIssuer } from './fake-server';

/*
 * CrowdStrike Falcon Hosts API fake.
 *
 * Verified (vendor SDK / reference integrations):
 *   - POST /oauth2/token, form client_id + client_secret (+ member_cid)       [falconpy, psfalcon]
 *   - POST /devices/entities/devices-actions/v2?action_name=contain|lift_containment,
 *     body {"ids":[aid]}; action_name enum                                   [falconpy _hosts.py]
 *   - GET /devices/entities/devices/v2?ids=, GET /devices/queries/devices/v1[?filter=] (FQL; no
 *     filter lists every device, as the real API does)
 *                                                                            [falconpy _hosts.py]
 *   - tokens live 30 minutes                                                 [CrowdStrike OpenAPI]
 *   - errors[].code 409 when a host is already in the requested state        [CrowdStrike ansible host_contain]
 * Partly verified (demisto/content CrowdStrikeFalcon client, falconpy RTR docs):
 *   - POST /real-time-response/entities/sessions/v1 {device_id, queue_offline}
 *     -> resources[0].session_id
 *   - POST /real-time-response/entities/admin-command/v1 {base_command, command_string,
 *     session_id} -> resources[0].{session_id, cloud_request_id, queued_command_offline};
 *     GET the same path ?cloud_request_id=&sequence_id=0 -> resources[0].{complete, stdout,
 *     stderr, base_command, task_id}
 *   - 429 carries X-RateLimit-RetryAfter as epoch seconds                    [psfalcon, gofalcon notes]
 *   - MSA envelope {meta, resources, errors}; 404 "Resource Not Found"        [several captures]
 *   - status normal / containment_pending / contained / lift_containment_pending
 * Assumed:
 *   - token call answers 201 (adapters accept any 2xx); 401 body text
 *   - HTTP status 409 for the whole call when every id was already in state
 *   - pending states settle after one further device read (real hosts: seconds to minutes)
 *   - the RTR answer for an unknown cloud script (400, errors[].message) and for a session on an
 *     unknown device (404); session fields besides session_id; `persist` queues for offline hosts;
 *     a command completes after one status read; a failing script reports on stderr
 */

/** One RTR admin command the fake accepted. */
export interface FakeRtrCommand {
  cloudRequestId: string;
  sessionId: string;
  deviceId: string;
  baseCommand: string;
  commandString: string;
  /** Status reads so far; the command completes after the first. */
  reads: number;
  stderr: string;
}

export interface FakeFalconDevice {
  device_id: string;
  hostname: string;
  local_ip: string;
  platform_name: string;
  last_seen: string;
  status: 'normal' | 'containment_pending' | 'contained' | 'lift_containment_pending';
}

export interface CrowdStrikeFakeOptions {
  clientId?: string;
  clientSecret?: string;
  tokenLifetimeSeconds?: number;
  devices?: Array<Partial<FakeFalconDevice> & { device_id: string; hostname: string }>;
  /** How many device reads still show a pending state before it settles (default 1). */
  settleAfterReads?: number;
  /** Names in the RTR cloud script library (default: `rampart-forensics`). */
  rtrScripts?: string[];
  /** Scripts that fail, with the stderr they leave. */
  rtrScriptErrors?: Record<string, string>;
}

const ACTIONS = new Set([
  'contain',
  'lift_containment',
  'hide_host',
  'unhide_host',
  'detection_suppress',
  'detection_unsuppress',
  'lift_filesystem_containment_all',
]);

export class CrowdStrikeFake extends FakeServer {
  readonly vendor = 'CrowdStrike Falcon';
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokens: FakeTokenIssuer;
  readonly devices = new Map<string, FakeFalconDevice>();
  /** Accepted (state-changing) actions by action name. */
  readonly accepted: Record<string, number> = {};
  /** RTR sessions opened, by session id, with their device. */
  readonly rtrSessions = new Map<string, string>();
  /** RTR admin commands accepted, in order. */
  readonly rtrCommands: FakeRtrCommand[] = [];
  readonly rtrScripts: Set<string>;
  private readonly rtrScriptErrors: Record<string, string>;
  private readonly pendingReads = new Map<string, number>();
  private readonly settleAfterReads: number;

  constructor(options: CrowdStrikeFakeOptions = {}) {
    super();
    this.clientId = options.clientId ?? 'fake-falcon-client';
    this.clientSecret = options.clientSecret ?? 'fake-falcon-secret';
    this.tokens = new FakeTokenIssuer(options.tokenLifetimeSeconds ?? 1799);
    this.settleAfterReads = options.settleAfterReads ?? 1;
    this.rtrScripts = new Set(options.rtrScripts ?? ['rampart-forensics']);
    this.rtrScriptErrors = options.rtrScriptErrors ?? {};
    for (const script of Object.keys(this.rtrScriptErrors)) this.rtrScripts.add(script);
    for (const device of options.devices ?? []) {
      this.devices.set(device.device_id, {
        local_ip: '10.0.0.1',
        platform_name: 'Windows',
        last_seen: new Date().toISOString(),
        status: 'normal',
        ...device,
      });
    }
    this.route('POST', '/oauth2/token', 'token', (request) => this.token(request), { faultable: false });
    this.route('GET', '/devices/queries/devices/v1', 'devices.query', (request) =>
      this.authed(request, () => this.query(request)),
    );
    this.route('GET', '/devices/entities/devices/v2', 'devices.get', (request) =>
      this.authed(request, () => this.get(request)),
    );
    this.route('POST', '/devices/entities/devices-actions/v2', 'devices.action', (request) =>
      this.authed(request, () => this.action(request)),
    );
    this.route('POST', '/real-time-response/entities/sessions/v1', 'rtr.session', (request) =>
      this.authed(request, () => this.openSession(request)),
    );
    this.route('POST', '/real-time-response/entities/admin-command/v1', 'rtr.admin-command', (request) =>
      this.authed(request, () => this.adminCommand(request)),
    );
    this.route(
      'GET',
      '/real-time-response/entities/admin-command/v1',
      'rtr.admin-command.status',
      (request) => this.authed(request, () => this.adminCommandStatus(request)),
    );
  }

  status(deviceId: string): FakeFalconDevice['status'] | undefined {
    return this.devices.get(deviceId)?.status;
  }

  protected override rateLimitResponse(retryAfterSeconds: number): FakeResponse {
    return {
      status: 429,
      headers: {
        'X-RateLimit-Limit': '6000',
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-RetryAfter': String(Math.ceil(Date.now() / 1000) + retryAfterSeconds),
      },
      body: envelope([], [{ code: 429, message: 'API rate limit exceeded.' }]),
    };
  }

  protected override faultResponse(status: number): FakeResponse {
    return { status, body: envelope([], [{ code: status, message: 'Internal Server Error' }]) };
  }

  private token(request: FakeRequest): FakeResponse {
    if (
      request.form.get('client_id') !== this.clientId ||
      request.form.get('client_secret') !== this.clientSecret
    ) {
      return {
        status: 401,
        body: envelope([], [{ code: 401, message: 'access denied, invalid client credentials' }]),
      };
    }
    const { token, expiresIn } = this.tokens.issue();
    return { status: 201, body: { access_token: token, token_type: 'bearer', expires_in: expiresIn } };
  }

  private authed(request: FakeRequest, handle: () => FakeResponse): FakeResponse {
    if (!this.tokens.isValid(bearerToken(request))) {
      return {
        status: 401,
        body: envelope([], [{ code: 401, message: 'access denied, authorization failed' }]),
      };
    }
    return handle();
  }

  private query(request: FakeRequest): FakeResponse {
    const filter = request.query.get('filter');
    // Like the real API, no filter lists every device; a filter this fake cannot read is refused.
    if (filter === null || filter.trim() === '') {
      return { status: 200, body: envelope([...this.devices.values()].map((device) => device.device_id)) };
    }
    const match = /^(hostname|local_ip|external_ip):'([^']*)'$/.exec(filter);
    if (!match) return { status: 400, body: envelope([], [{ code: 400, message: 'Invalid filter' }]) };
    const [, field = '', value = ''] = match;
    const ids = [...this.devices.values()]
      .filter((device) =>
        field === 'hostname'
          ? device.hostname.toLowerCase() === value.toLowerCase()
          : device.local_ip === value,
      )
      .map((device) => device.device_id);
    return { status: 200, body: envelope(ids) };
  }

  private get(request: FakeRequest): FakeResponse {
    const ids = (request.query.get('ids') ?? '').split(',').filter(Boolean);
    const found = ids
      .map((id) => this.devices.get(id))
      .filter((device): device is FakeFalconDevice => !!device);
    for (const device of found) this.settle(device);
    if (found.length === 0) {
      return { status: 404, body: envelope([], [{ code: 404, message: 'Resource Not Found' }]) };
    }
    return { status: 200, body: envelope(found.map((device) => ({ ...device }))) };
  }

  private action(request: FakeRequest): FakeResponse {
    const action = request.query.get('action_name') ?? '';
    if (!ACTIONS.has(action)) {
      return { status: 400, body: envelope([], [{ code: 400, message: `invalid action_name '${action}'` }]) };
    }
    const body = request.json as { ids?: unknown } | undefined;
    const ids = Array.isArray(body?.ids) ? body.ids.filter((id): id is string => typeof id === 'string') : [];
    if (ids.length === 0)
      return { status: 400, body: envelope([], [{ code: 400, message: 'ids are required' }]) };
    const resources: unknown[] = [];
    const errors: unknown[] = [];
    for (const id of ids) {
      const device = this.devices.get(id);
      if (!device) {
        errors.push({ code: 404, message: `Device ${id} not found` });
      } else if (action === 'contain' && device.status !== 'normal') {
        errors.push({ code: 409, message: `Device ${id} is already contained or containment is pending` });
      } else if (action === 'lift_containment' && device.status !== 'contained') {
        errors.push({ code: 409, message: `Device ${id} is not contained` });
      } else {
        if (action === 'contain') device.status = 'containment_pending';
        if (action === 'lift_containment') device.status = 'lift_containment_pending';
        this.pendingReads.set(id, 0);
        this.accepted[action] = (this.accepted[action] ?? 0) + 1;
        resources.push({ id, path: `/devices/entities/devices/v1?ids=${id}` });
      }
    }
    const status = resources.length > 0 ? 202 : Number((errors[0] as { code: number }).code);
    return { status, body: envelope(resources, errors) };
  }

  private openSession(request: FakeRequest): FakeResponse {
    const body = asObject(request.json);
    const deviceId = typeof body.device_id === 'string' ? body.device_id : '';
    if (!this.devices.has(deviceId)) {
      return { status: 404, body: envelope([], [{ code: 404, message: `Device ${deviceId} not found` }]) };
    }
    const sessionId = randomUUID();
    this.rtrSessions.set(sessionId, deviceId);
    return {
      status: 201,
      body: envelope([
        {
          session_id: sessionId,
          scripts: [],
          existing_aid_sessions: 1,
          created_at: new Date().toISOString(),
          pwd: 'C:\\',
          offline_queued: body.queue_offline === true,
        },
      ]),
    };
  }

  private adminCommand(request: FakeRequest): FakeResponse {
    const body = asObject(request.json);
    const sessionId = typeof body.session_id === 'string' ? body.session_id : '';
    const deviceId = this.rtrSessions.get(sessionId);
    if (!deviceId) {
      return { status: 404, body: envelope([], [{ code: 404, message: 'Session not found' }]) };
    }
    const baseCommand = typeof body.base_command === 'string' ? body.base_command : '';
    const commandString = typeof body.command_string === 'string' ? body.command_string : '';
    let stderr = '';
    if (baseCommand === 'runscript') {
      const script = /-CloudFile="([^"]+)"/.exec(commandString)?.[1];
      if (!script || !this.rtrScripts.has(script)) {
        return {
          status: 400,
          body: envelope([], [{ code: 400, message: `Cloud file '${script ?? ''}' not found` }]),
        };
      }
      stderr = this.rtrScriptErrors[script] ?? '';
    }
    const cloudRequestId = randomUUID();
    this.rtrCommands.push({
      cloudRequestId,
      sessionId,
      deviceId,
      baseCommand,
      commandString,
      reads: 0,
      stderr,
    });
    return {
      status: 201,
      body: envelope([
        { session_id: sessionId, cloud_request_id: cloudRequestId, queued_command_offline: false },
      ]),
    };
  }

  private adminCommandStatus(request: FakeRequest): FakeResponse {
    const id = request.query.get('cloud_request_id') ?? '';
    const command = this.rtrCommands.find((candidate) => candidate.cloudRequestId === id);
    if (!command) return { status: 404, body: envelope([], [{ code: 404, message: 'Resource Not Found' }]) };
    command.reads += 1;
    const complete = command.reads > 1;
    return {
      status: 200,
      body: envelope([
        {
          session_id: command.sessionId,
          task_id: command.cloudRequestId,
          complete,
          stdout: complete && !command.stderr ? 'package written' : '',
          stderr: complete ? command.stderr : '',
          base_command: command.baseCommand,
        },
      ]),
    };
  }

  private settle(device: FakeFalconDevice): void {
    if (device.status !== 'containment_pending' && device.status !== 'lift_containment_pending') return;
    const reads = (this.pendingReads.get(device.device_id) ?? 0) + 1;
    this.pendingReads.set(device.device_id, reads);
    if (reads > this.settleAfterReads) {
      device.status = device.status === 'containment_pending' ? 'contained' : 'normal';
    }
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function envelope(resources: unknown[], errors: unknown[] = []): Record<string, unknown> {
  return {
    meta: { query_time: 0.01, powered_by: 'device-api', trace_id: randomUUID() },
    resources,
    errors,
  };
}
