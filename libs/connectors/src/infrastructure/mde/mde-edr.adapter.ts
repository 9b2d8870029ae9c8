import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { CircuitBreaker } from '../../domain/circuit-breaker';
import { ConnectorErrorCode, invalidRequest } from '../../domain/connector-error';
import {
  ContainmentState,
  EdrConnector,
  EdrHost,
  ForensicsJob,
  ForensicsJobState,
  HostQuery,
} from '../../domain/edr-connector';
import { assertHostname, parseNetworkTarget } from '../../domain/network-target';
import { path } from '../../domain/safe-path';
import { clientCredentialsTransport } from '../http/client-credentials';
import {
  asArray,
  asDate,
  asRecord,
  asString,
  CHECK_NAME,
  checkOperationOptions,
  found,
  guard,
  GUID,
  HttpConnectorSettings,
  vendorComment,
} from '../http/http-connector';
import { HttpResponse, HttpTransport, VendorProtocol, vendorIssue } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';

export interface MdeSettings extends HttpConnectorSettings {
  credentials: { tenantId: string; clientId: string; clientSecret: string };
  /**
   * Token endpoint; `{tenantId}` is replaced. Default
   * `https://login.microsoftonline.com/{tenantId}/oauth2/token` (v1, `resource=`); a URL ending in
   * `/v2.0/token` gets `scope=<resource>/.default` instead.
   */
  tokenUrl?: string;
  /** App ID URI the token is for. */
  resource?: string;
  isolationType?: 'Full' | 'Selective';
}

export const DEFAULT_MDE_TOKEN_URL = 'https://login.microsoftonline.com/{tenantId}/oauth2/token';
export const DEFAULT_MDE_RESOURCE = 'https://api.securitycenter.microsoft.com';

const MACHINE_ID = /^[A-Za-z0-9-]{1,64}$/;

/** Microsoft errors: `{"error":{"code":"ActiveRequestAlreadyExists","message":..}}`; Entra: `{"error":"invalid_client"}`. */
export const mdeProtocol: VendorProtocol = {
  describeError(response: HttpResponse) {
    const body = asRecord(response.json);
    const nested = asRecord(body.error);
    const code = asString(nested.code) ?? asString(body.error);
    // Entra's error_description can quote the client id; keep only the AADSTS code and first sentence.
    const message = asString(nested.message) ?? asString(body.error_description)?.split(/[\r\n]/)[0];
    return vendorIssue(code, message);
  },
};

interface MachineAction {
  id: string;
  type: string;
  status: string;
  created: number;
  comment: string;
}

/**
 * Microsoft Defender for Endpoint machine actions: Entra client-credentials token (token URL
 * configurable), machine lookup by `computerDnsName` / `findbyip`, isolate / unisolate,
 * collectInvestigationPackage, and state read from the machine's action history.
 */
export class MdeEdrAdapter extends EdrConnector {
  override readonly type = 'mde';
  override readonly name: string;
  override readonly supportsForensics = true;
  readonly #transport: HttpTransport;
  readonly #isolationType: 'Full' | 'Selective';
  readonly #clock: () => number;

  constructor(settings: MdeSettings) {
    super();
    this.name = settings.name;
    this.#isolationType = settings.isolationType ?? 'Full';
    const { tenantId, clientId, clientSecret } = settings.credentials;
    const runtime = resolveRuntime(settings.runtime, settings.resilience);
    this.#clock = runtime.clock;
    const secrets = (): string[] => [tenantId, clientId, clientSecret];
    const tokenUrl = (settings.tokenUrl ?? DEFAULT_MDE_TOKEN_URL).replace(
      '{tenantId}',
      encodeURIComponent(tenantId),
    );
    const resource = settings.resource ?? DEFAULT_MDE_RESOURCE;
    const form: Record<string, string> = {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    };
    if (/\/v2\.0\/token$/.test(tokenUrl)) form.scope = `${resource.replace(/\/+$/, '')}/.default`;
    else form.resource = resource;
    this.#transport = clientCredentialsTransport(settings, {
      connector: this.type,
      runtime,
      protocol: mdeProtocol,
      secrets,
      tokenBaseUrl: tokenUrl,
      tokenPath: '',
      form,
    });
  }

  get circuit(): CircuitBreaker {
    return this.#transport.breaker;
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      await found(() => this.resolveHost({ hostname: CHECK_NAME }));
      return 'a token is issued for the app registration and machines can be queried';
    });
  }

  resolveHost(query: HostQuery): Promise<EdrHost> {
    return guard(this.type, 'resolveHost', async () => {
      let response: HttpResponse;
      if (query.hostname !== undefined) {
        // DNS-shaped names hold no quote, so the OData literal cannot be escaped from.
        const name = assertHostname(query.hostname);
        response = await this.#transport.request(
          { method: 'GET', path: '/api/machines', query: { $filter: `computerDnsName eq '${name}'` } },
          'resolveHost',
        );
      } else if (query.ip !== undefined) {
        const target = parseNetworkTarget(query.ip);
        if (!target.isHost) throw invalidRequest('ip must be a single address');
        const timestamp = new Date(this.#clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
        response = await this.#transport.request(
          { method: 'GET', path: `/api/machines/findbyip(ip='${target.address}',timestamp=${timestamp})` },
          'resolveHost',
        );
      } else {
        throw invalidRequest('hostname or ip is required');
      }
      const machines = asArray(asRecord(response.json).value)
        .map(asRecord)
        .sort((a, b) => (asDate(b.lastSeen)?.getTime() ?? 0) - (asDate(a.lastSeen)?.getTime() ?? 0));
      const machine = machines[0];
      const deviceId = machine ? asString(machine.id) : undefined;
      if (!machine || !deviceId)
        throw this.#transport.error(ConnectorErrorCode.NotFound, 'no machine matches', 'resolveHost');
      const host: EdrHost = { deviceId };
      const hostname = asString(machine.computerDnsName);
      const ip = asString(machine.lastIpAddress);
      const platform = asString(machine.osPlatform);
      const lastSeen = asDate(machine.lastSeen);
      if (hostname) host.hostname = hostname;
      if (ip) host.ip = ip;
      if (platform) host.platform = platform;
      if (lastSeen) host.lastSeen = lastSeen;
      return host;
    });
  }

  getContainmentState(deviceId: string): Promise<ContainmentState> {
    return guard(this.type, 'getContainmentState', async () =>
      this.state(deviceId, await this.actions(deviceId, 'getContainmentState')),
    );
  }

  ensureContained(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureContained', async () => {
      checkOperationOptions(options);
      const state = this.state(deviceId, await this.actions(deviceId, 'ensureContained'));
      if (state.status === 'contained' || state.status === 'containing') {
        return outcome('already_in_state', options, {
          vendorRef: deviceId,
          details: { vendorStatus: state.vendorStatus },
        });
      }
      return this.machineAction(
        deviceId,
        'isolate',
        {
          Comment: vendorComment(options, 'Isolated by Rampart'),
          IsolationType: this.#isolationType,
        },
        options,
        'ensureContained',
      );
    });
  }

  ensureReleased(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureReleased', async () => {
      checkOperationOptions(options);
      const state = this.state(deviceId, await this.actions(deviceId, 'ensureReleased'));
      if (state.status === 'normal' || state.status === 'releasing') {
        return outcome('already_in_state', options, {
          vendorRef: deviceId,
          details: { vendorStatus: state.vendorStatus },
        });
      }
      return this.machineAction(
        deviceId,
        'unisolate',
        { Comment: vendorComment(options, 'Released by Rampart') },
        options,
        'ensureReleased',
      );
    });
  }

  collectForensics(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'collectForensics', async () => {
      checkOperationOptions(options);
      const actions = await this.actions(deviceId, 'collectForensics');
      // The idempotency key travels in the comment, so a replayed step finds its own collection.
      const marker = options?.idempotencyKey ? `[rampart:${options.idempotencyKey}]` : undefined;
      const previous = marker
        ? actions.find(
            (action) =>
              action.type === 'CollectInvestigationPackage' &&
              action.comment.includes(marker) &&
              !FAILED.has(action.status),
          )
        : undefined;
      if (previous) {
        return outcome('already_in_state', options, {
          vendorRef: previous.id,
          details: { vendorStatus: previous.status },
        });
      }
      return this.machineAction(
        deviceId,
        'collectInvestigationPackage',
        { Comment: vendorComment(options, 'Forensic package collected by Rampart') },
        options,
        'collectForensics',
      );
    });
  }

  forensicsJob(jobRef: string): Promise<ForensicsJob> {
    return guard(this.type, 'forensicsJob', async () => {
      if (!GUID.test(jobRef)) throw invalidRequest('jobRef must be an MDE machine action id');
      const response = await this.#transport.request(
        { method: 'GET', path: path`/api/machineactions/${jobRef}` },
        'forensicsJob',
      );
      const action = asRecord(response.json);
      const status = asString(action.status);
      const state: ForensicsJobState =
        status === 'Succeeded'
          ? 'completed'
          : status === 'Pending' || status === 'InProgress'
            ? 'running'
            : status !== undefined && FAILED.has(status)
              ? 'failed'
              : 'unknown';
      return { jobRef, state, ...(status ? { vendorStatus: status } : {}) };
    });
  }

  private async machineAction(
    deviceId: string,
    action: 'isolate' | 'unisolate' | 'collectInvestigationPackage',
    body: Record<string, string>,
    options: OperationOptions | undefined,
    operation: string,
  ): Promise<ActionOutcome> {
    const response = await this.#transport.request(
      { method: 'POST', path: path`/api/machines/${deviceId}/` + action, json: body, accept: [400] },
      operation,
    );
    if (response.status === 400) {
      const code = asString(asRecord(asRecord(response.json).error).code);
      // An action of this type is already pending for the machine: the request is in flight.
      if (code === 'ActiveRequestAlreadyExists') {
        return outcome('already_in_state', options, { vendorRef: deviceId, details: { vendorCode: code } });
      }
      throw this.#transport.vendorError(ConnectorErrorCode.InvalidRequest, response, operation);
    }
    const machineAction = asRecord(response.json);
    const id = asString(machineAction.id);
    const details: Record<string, unknown> = { machineId: deviceId };
    const status = asString(machineAction.status);
    if (status) details.vendorStatus = status;
    return outcome('changed', options, { ...(id ? { vendorRef: id } : {}), details });
  }

  private async actions(deviceId: string, operation: string): Promise<MachineAction[]> {
    if (!MACHINE_ID.test(deviceId)) throw invalidRequest('device id must be an MDE machine id');
    const response = await this.#transport.request(
      { method: 'GET', path: '/api/machineactions', query: { $filter: `machineId eq '${deviceId}'` } },
      operation,
    );
    return asArray(asRecord(response.json).value)
      .map(asRecord)
      .map((action) => ({
        id: asString(action.id) ?? '',
        type: asString(action.type) ?? '',
        status: asString(action.status) ?? '',
        created: asDate(action.creationDateTimeUtc)?.getTime() ?? 0,
        comment: asString(action.requestorComment) ?? '',
      }))
      .sort((a, b) => b.created - a.created);
  }

  /** The newest isolate / unisolate action that did not fail decides the state. */
  private state(deviceId: string, actions: MachineAction[]): ContainmentState {
    const decisive = actions.find(
      (action) => (action.type === 'Isolate' || action.type === 'Unisolate') && !FAILED.has(action.status),
    );
    if (!decisive) return { deviceId, status: 'normal' };
    const pending = decisive.status === 'Pending' || decisive.status === 'InProgress';
    const isolate = decisive.type === 'Isolate';
    return {
      deviceId,
      status: isolate ? (pending ? 'containing' : 'contained') : pending ? 'releasing' : 'normal',
      vendorStatus: `${decisive.type}/${decisive.status}`,
    };
  }
}

const FAILED = new Set(['Failed', 'TimeOut', 'Cancelled']);
