import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { CircuitBreaker } from '../../domain/circuit-breaker';
import { ConnectorErrorCode, invalidRequest } from '../../domain/connector-error';
import {
  ContainmentState,
  ContainmentStatus,
  EdrConnector,
  EdrHost,
  ForensicsJob,
  HostQuery,
} from '../../domain/edr-connector';
import { assertHostname, parseNetworkTarget } from '../../domain/network-target';
import { parseEpochSecondsHeader } from '../../domain/retry-policy';
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
} from '../http/http-connector';
import { HttpResponse, HttpTransport, VendorProtocol, vendorIssue } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';

export interface CrowdStrikeSettings extends HttpConnectorSettings {
  credentials: { clientId: string; clientSecret: string };
  /** Flight Control: act on behalf of this child CID. */
  memberCid?: string;
  /**
   * Real Time Response cloud script that collects the forensic package (e.g. one that runs the
   * Falcon Forensics Collector). Without it, `collectForensics` is not supported.
   */
  forensicsScript?: string;
}

/** RTR cloud script names: plain, so they cannot break out of the command string's quotes. */
export const RTR_SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

const STATUS: Record<string, ContainmentStatus> = {
  normal: 'normal',
  containment_pending: 'containing',
  contained: 'contained',
  lift_containment_pending: 'releasing',
};

/**
 * MSA envelope errors (`{"errors":[{"code":..,"message":..}]}`) and the epoch-seconds
 * `X-RateLimit-RetryAfter` header (a timestamp, not a delay).
 */
export const crowdStrikeProtocol: VendorProtocol = {
  describeError(response: HttpResponse) {
    const first = asRecord(asArray(asRecord(response.json).errors)[0]);
    return vendorIssue(asString(first.code), asString(first.message));
  },
  retryAfterMs(response: HttpResponse, nowMs: number) {
    return parseEpochSecondsHeader(response.headers['x-ratelimit-retryafter'], nowMs);
  },
};

/**
 * CrowdStrike Falcon Hosts API: OAuth2 client credentials, FQL device query, device details v2
 * and `devices-actions/v2` contain / lift_containment. Forensic collection runs the configured
 * cloud script in a Real Time Response session (admin command `runscript`), queued for an offline
 * host until it comes back.
 */
export class CrowdStrikeEdrAdapter extends EdrConnector {
  override readonly type = 'crowdstrike';
  override readonly name: string;
  override readonly supportsForensics: boolean;
  readonly #transport: HttpTransport;
  readonly #forensicsScript: string | undefined;

  constructor(settings: CrowdStrikeSettings) {
    super();
    this.name = settings.name;
    if (settings.forensicsScript !== undefined && !RTR_SCRIPT_NAME.test(settings.forensicsScript)) {
      throw invalidRequest('forensicsScript must be an RTR cloud script name');
    }
    this.#forensicsScript = settings.forensicsScript;
    this.supportsForensics = settings.forensicsScript !== undefined;
    const { clientId, clientSecret } = settings.credentials;
    const runtime = resolveRuntime(settings.runtime, settings.resilience);
    const form: Record<string, string> = { client_id: clientId, client_secret: clientSecret };
    if (settings.memberCid) form.member_cid = settings.memberCid;
    this.#transport = clientCredentialsTransport(settings, {
      connector: this.type,
      runtime,
      protocol: crowdStrikeProtocol,
      secrets: () => [clientId, clientSecret],
      tokenPath: '/oauth2/token',
      form,
    });
  }

  /** The breaker of this instance (for health reporting). */
  get circuit(): CircuitBreaker {
    return this.#transport.breaker;
  }

  resolveHost(query: HostQuery): Promise<EdrHost> {
    return guard(this.type, 'resolveHost', async () => {
      // Values are validated to DNS / IP shape, so they cannot break out of the FQL quotes.
      let filter: string;
      if (query.hostname !== undefined) filter = `hostname:'${assertHostname(query.hostname)}'`;
      else if (query.ip !== undefined) filter = `local_ip:'${hostAddress(query.ip)}'`;
      else
        throw this.#transport.error(
          ConnectorErrorCode.InvalidRequest,
          'hostname or ip is required',
          'resolveHost',
        );
      const found = await this.#transport.request(
        { method: 'GET', path: '/devices/queries/devices/v1', query: { filter, limit: 10 } },
        'resolveHost',
      );
      const ids = asArray(asRecord(found.json).resources)
        .map(asString)
        .filter((id): id is string => !!id);
      if (ids.length === 0)
        throw this.#transport.error(ConnectorErrorCode.NotFound, 'no device matches', 'resolveHost');
      const devices = await this.devices(ids, 'resolveHost');
      const newest = devices.sort((a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0))[0];
      if (!newest)
        throw this.#transport.error(ConnectorErrorCode.NotFound, 'no device matches', 'resolveHost');
      return newest;
    });
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      await found(() => this.resolveHost({ hostname: CHECK_NAME }));
      return 'a token is issued for the client credentials and devices can be queried';
    });
  }

  getContainmentState(deviceId: string): Promise<ContainmentState> {
    return guard(this.type, 'getContainmentState', () => this.state(deviceId, 'getContainmentState'));
  }

  ensureContained(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureContained', () =>
      this.act(deviceId, 'contain', ['contained', 'containing'], options, 'ensureContained'),
    );
  }

  ensureReleased(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureReleased', () =>
      this.act(deviceId, 'lift_containment', ['normal', 'releasing'], options, 'ensureReleased'),
    );
  }

  collectForensics(deviceId: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'collectForensics', async () => {
      checkOperationOptions(options);
      const script = this.#forensicsScript;
      if (script === undefined) {
        throw this.#transport.error(
          ConnectorErrorCode.InvalidRequest,
          'collectForensics needs the crowdstrike connector option forensicsScript (an RTR cloud script)',
          'collectForensics',
          { retryable: false },
        );
      }
      await this.devices([deviceId], 'collectForensics');
      const session = await this.#transport.request(
        {
          method: 'POST',
          path: '/real-time-response/entities/sessions/v1',
          json: { device_id: deviceId, origin: 'rampart', queue_offline: true },
        },
        'collectForensics',
      );
      const opened = asRecord(asArray(asRecord(session.json).resources)[0]);
      const sessionId = asString(opened.session_id);
      if (!sessionId) {
        throw this.#transport.error(
          ConnectorErrorCode.VendorError,
          'Falcon opened no RTR session',
          'collectForensics',
        );
      }
      // The idempotency key goes to the script, which can name the package after it.
      const commandLine = options?.idempotencyKey ? ` -CommandLine="rampart:${options.idempotencyKey}"` : '';
      const command = await this.#transport.request(
        {
          method: 'POST',
          path: '/real-time-response/entities/admin-command/v1',
          json: {
            base_command: 'runscript',
            command_string: `runscript -CloudFile="${script}"${commandLine}`,
            session_id: sessionId,
            device_id: deviceId,
            persist: true,
          },
        },
        'collectForensics',
      );
      const queued = asRecord(asArray(asRecord(command.json).resources)[0]);
      const cloudRequestId = asString(queued.cloud_request_id);
      return outcome('changed', options, {
        ...(cloudRequestId ? { vendorRef: cloudRequestId } : {}),
        details: {
          sessionId,
          script,
          queuedOffline: queued.queued_command_offline === true || opened.offline_queued === true,
        },
      });
    });
  }

  forensicsJob(jobRef: string): Promise<ForensicsJob> {
    return guard(this.type, 'forensicsJob', async () => {
      if (!GUID.test(jobRef)) throw invalidRequest('jobRef must be an RTR cloud request id');
      const response = await this.#transport.request(
        {
          method: 'GET',
          path: '/real-time-response/entities/admin-command/v1',
          query: { cloud_request_id: jobRef, sequence_id: 0 },
        },
        'forensicsJob',
      );
      const result = asRecord(asArray(asRecord(response.json).resources)[0]);
      if (result.complete !== true) return { jobRef, state: 'running', vendorStatus: 'pending' };
      const stderr = asString(result.stderr)?.trim();
      return stderr
        ? { jobRef, state: 'failed', vendorStatus: 'complete', detail: stderr.slice(0, 500) }
        : { jobRef, state: 'completed', vendorStatus: 'complete' };
    });
  }

  private async act(
    deviceId: string,
    action: 'contain' | 'lift_containment',
    done: ContainmentStatus[],
    options: OperationOptions | undefined,
    operation: string,
    resent = false,
  ): Promise<ActionOutcome> {
    checkOperationOptions(options);
    const before = await this.state(deviceId, operation);
    if (done.includes(before.status)) {
      return outcome('already_in_state', options, {
        vendorRef: deviceId,
        details: { vendorStatus: before.vendorStatus },
      });
    }
    const response = await this.#transport.request(
      {
        method: 'POST',
        path: '/devices/entities/devices-actions/v2',
        query: { action_name: action },
        json: { ids: [deviceId] },
        accept: [409],
      },
      operation,
    );
    // 409: Falcon refused because of the host's state. Ask again rather than assume: another actor
    // may have done the work (already in state), or the opposite action is still pending there.
    if (response.status === 409) {
      const after = await this.state(deviceId, operation);
      if (done.includes(after.status)) {
        return outcome('already_in_state', options, {
          vendorRef: deviceId,
          details: { vendorStatus: after.vendorStatus },
        });
      }
      const settled = after.status !== 'containing' && after.status !== 'releasing';
      if (settled && !resent) return this.act(deviceId, action, done, options, operation, true);
      throw this.#transport.error(
        ConnectorErrorCode.Unavailable,
        `Falcon refused ${action} while the host is ${after.vendorStatus ?? 'in an unknown state'}; retry once it settles`,
        operation,
        { retryable: true },
      );
    }
    const pending = action === 'contain' ? 'containment_pending' : 'lift_containment_pending';
    return outcome('changed', options, { vendorRef: deviceId, details: { vendorStatus: pending } });
  }

  private async state(deviceId: string, operation: string): Promise<ContainmentState> {
    const [device] = await this.devices([deviceId], operation);
    const vendorStatus = device?.vendorStatus;
    return {
      deviceId,
      status: (vendorStatus && STATUS[vendorStatus]) || 'unknown',
      ...(vendorStatus ? { vendorStatus } : {}),
    };
  }

  private async devices(
    ids: string[],
    operation: string,
  ): Promise<Array<EdrHost & { vendorStatus?: string }>> {
    for (const id of ids) {
      if (!/^[A-Za-z0-9]{1,64}$/.test(id)) {
        throw this.#transport.error(
          ConnectorErrorCode.InvalidRequest,
          'device id must be an agent id (aid)',
          operation,
        );
      }
    }
    const response = await this.#transport.request(
      { method: 'GET', path: '/devices/entities/devices/v2', query: { ids: ids.join(',') } },
      operation,
    );
    const resources = asArray(asRecord(response.json).resources).map(asRecord);
    if (resources.length === 0)
      throw this.#transport.error(ConnectorErrorCode.NotFound, 'device not found', operation);
    return resources.map((device) => {
      const host: EdrHost & { vendorStatus?: string } = { deviceId: asString(device.device_id) ?? '' };
      const hostname = asString(device.hostname);
      const ip = asString(device.local_ip);
      const platform = asString(device.platform_name);
      const lastSeen = asDate(device.last_seen);
      const status = asString(device.status);
      if (hostname) host.hostname = hostname;
      if (ip) host.ip = ip;
      if (platform) host.platform = platform;
      if (lastSeen) host.lastSeen = lastSeen;
      if (status) host.vendorStatus = status;
      return host;
    });
  }
}

function hostAddress(ip: string): string {
  const target = parseNetworkTarget(ip);
  if (!target.isHost) throw invalidRequest('ip must be a single address');
  return target.address;
}
