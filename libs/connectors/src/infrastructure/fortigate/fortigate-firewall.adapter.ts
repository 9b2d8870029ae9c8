import { ActionOutcome, OperationOptions, outcome } from '../../domain/action-outcome';
import { invalidRequest } from '../../domain/connector-error';
import { BlockOptions, BlockState, FirewallConnector } from '../../domain/firewall-connector';
import { ipv4Netmask, NetworkTarget, parseNetworkTarget } from '../../domain/network-target';
import { path, pathSegment } from '../../domain/safe-path';
import { StaticHeaderAuth } from '../http/auth-provider';
import {
  asArray,
  asRecord,
  asString,
  CHECK_ADDRESS,
  checkOperationOptions,
  createTransport,
  found,
  guard,
  HttpConnectorSettings,
  vendorComment,
} from '../http/http-connector';
import { HttpTransport } from '../http/http-transport';
import { resolveRuntime } from '../http/runtime';
import {
  firstResult,
  FORTIOS_DUPLICATE_ENTRY,
  fortiOsErrorCode,
  fortiOsProtocol,
} from './fortigate-protocol';

/**
 * - `address-group` (default): one `firewall/address` object per IP or CIDR, member of an address
 *   group that a deny policy references. Takes ranges; expiry is ours to enforce (recorded in the
 *   object comment for the sweeper).
 * - `banned-ip`: the quarantine list (`monitor/user/banned`). Native expiry and no policy needed,
 *   but single addresses only.
 */
export type FortiGateBlockMode = 'address-group' | 'banned-ip';

export interface FortiGateFirewallSettings extends HttpConnectorSettings {
  credentials: { apiToken: string };
  vdom?: string;
  mode?: FortiGateBlockMode;
  /** Address group the deny policy uses (address-group mode). */
  addressGroup?: string;
  /** Prefix of the address objects we create, so we never touch anyone else's. */
  objectPrefix?: string;
}

export const DEFAULT_FORTIGATE_ADDRESS_GROUP = 'rampart-blocklist';
const PREFIX = /^[A-Za-z0-9_-]{1,20}$/;

/** FortiGate (FortiOS REST API, API-token auth) IP blocking. */
export class FortiGateFirewallAdapter extends FirewallConnector {
  override readonly type = 'fortigate';
  override readonly name: string;
  readonly #transport: HttpTransport;
  readonly #vdom: string;
  readonly #mode: FortiGateBlockMode;
  readonly #group: string;
  readonly #prefix: string;
  readonly #clock: () => number;

  constructor(settings: FortiGateFirewallSettings) {
    super();
    this.name = settings.name;
    this.#vdom = settings.vdom ?? 'root';
    this.#mode = settings.mode ?? 'address-group';
    this.#group = settings.addressGroup ?? DEFAULT_FORTIGATE_ADDRESS_GROUP;
    this.#prefix = settings.objectPrefix ?? 'rampart';
    if (!PREFIX.test(this.#prefix))
      throw invalidRequest('objectPrefix must be 1-20 characters of A-Z a-z 0-9 _ -');
    pathSegment(this.#group, 'addressGroup');
    const runtime = resolveRuntime(settings.runtime, settings.resilience);
    this.#clock = runtime.clock;
    const token = settings.credentials.apiToken;
    this.#transport = createTransport(settings, {
      connector: this.type,
      runtime,
      auth: new StaticHeaderAuth('Authorization', `Bearer ${token}`, token),
      protocol: fortiOsProtocol,
    });
  }

  ensureBlocked(target: string, options?: BlockOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureBlocked', async () => {
      checkOperationOptions(options);
      const network = this.target(target);
      const seconds = options?.expiresInSeconds;
      if (seconds !== undefined && (!Number.isInteger(seconds) || seconds <= 0)) {
        throw invalidRequest('expiresInSeconds must be a positive integer');
      }
      const expiresAt = seconds ? new Date(this.#clock() + seconds * 1000) : undefined;
      const current = await this.state(network, 'ensureBlocked');
      if (current.blocked) {
        return outcome('already_in_state', options, {
          ...ref(current),
          ...(current.expiresAt ? { expiresAt: current.expiresAt } : {}),
        });
      }
      if (this.#mode === 'banned-ip') {
        await this.#transport.request(
          {
            method: 'POST',
            path: '/api/v2/monitor/user/banned/add_users',
            query: { vdom: this.#vdom },
            json: { ip_addresses: [network.address], expiry: seconds ?? 0 },
          },
          'ensureBlocked',
        );
        return outcome('changed', options, {
          vendorRef: network.address,
          ...(expiresAt ? { expiresAt } : {}),
        });
      }
      const name = this.objectName(network);
      const comment = [
        vendorComment(options, 'blocked by Rampart'),
        expiresAt ? `expires=${expiresAt.toISOString()}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      await this.#transport.request(
        {
          method: 'POST',
          path: '/api/v2/cmdb/firewall/address',
          query: { vdom: this.#vdom },
          json: {
            name,
            type: 'ipmask',
            subnet: `${network.address} ${ipv4Netmask(network.prefix)}`,
            comment: comment.slice(0, 255),
          },
          // -5: the object survived an earlier partial run; reuse it.
          accept: (response) => fortiOsErrorCode(response) === FORTIOS_DUPLICATE_ENTRY,
        },
        'ensureBlocked',
      );
      await this.#transport.request(
        {
          method: 'POST',
          path: path`/api/v2/cmdb/firewall/addrgrp/${this.#group}/member`,
          query: { vdom: this.#vdom },
          json: { name },
        },
        'ensureBlocked',
      );
      return outcome('changed', options, {
        vendorRef: name,
        // FortiOS address objects do not expire; the action sweeper lifts them.
        details: { addressGroup: this.#group, ...(expiresAt ? { expiryEnforcedBy: 'rampart' } : {}) },
        ...(expiresAt ? { expiresAt } : {}),
      });
    });
  }

  ensureUnblocked(target: string, options?: OperationOptions): Promise<ActionOutcome> {
    return guard(this.type, 'ensureUnblocked', async () => {
      checkOperationOptions(options);
      const network = this.target(target);
      const current = await this.state(network, 'ensureUnblocked');
      if (!current.blocked) return outcome('already_in_state', options, ref(current));
      if (this.#mode === 'banned-ip') {
        await this.#transport.request(
          {
            method: 'POST',
            path: '/api/v2/monitor/user/banned/clear_users',
            query: { vdom: this.#vdom },
            json: { ip_addresses: [network.address] },
          },
          'ensureUnblocked',
        );
        return outcome('changed', options, { vendorRef: network.address });
      }
      const name = this.objectName(network);
      await this.#transport.request(
        {
          method: 'DELETE',
          path: path`/api/v2/cmdb/firewall/addrgrp/${this.#group}/member/${name}`,
          query: { vdom: this.#vdom },
        },
        'ensureUnblocked',
      );
      // The object may still be referenced elsewhere (424) or already gone (404): either way the
      // block is lifted, which is what this operation promises.
      await this.#transport.request(
        {
          method: 'DELETE',
          path: path`/api/v2/cmdb/firewall/address/${name}`,
          query: { vdom: this.#vdom },
          accept: [404, 424],
        },
        'ensureUnblocked',
      );
      return outcome('changed', options, { vendorRef: name, details: { addressGroup: this.#group } });
    });
  }

  checkConnection(): Promise<string> {
    return guard(this.type, 'checkConnection', async () => {
      const read = () => this.state(parseNetworkTarget(CHECK_ADDRESS), 'checkConnection');
      if (this.#mode === 'banned-ip') {
        await read();
        return `the API token is accepted and the banned-IP list of vdom ${this.#vdom} can be read`;
      }
      if (!(await found(read))) {
        throw invalidRequest(`address group "${this.#group}" does not exist in vdom ${this.#vdom}`);
      }
      return `the API token is accepted and address group "${this.#group}" exists in vdom ${this.#vdom}`;
    });
  }

  isBlocked(target: string): Promise<BlockState> {
    return guard(this.type, 'isBlocked', () => this.state(this.target(target), 'isBlocked', true));
  }

  private target(target: string): NetworkTarget {
    const network = parseNetworkTarget(target);
    if (this.#mode === 'banned-ip' && !network.isHost) {
      throw invalidRequest('banned-ip mode blocks single addresses; use address-group mode for CIDR ranges');
    }
    if (this.#mode === 'address-group' && network.family !== 4) {
      throw invalidRequest('address-group mode blocks IPv4 (IPv6 needs address6/addrgrp6)');
    }
    return network;
  }

  private objectName(network: NetworkTarget): string {
    return `${this.#prefix}_${network.address}_${network.prefix}`;
  }

  private async state(network: NetworkTarget, operation: string, withExpiry = false): Promise<BlockState> {
    if (this.#mode === 'banned-ip') {
      const response = await this.#transport.request(
        { method: 'GET', path: '/api/v2/monitor/user/banned/select', query: { vdom: this.#vdom } },
        operation,
      );
      const entry = asArray(asRecord(response.json).results)
        .map(asRecord)
        .find((candidate) => asString(candidate.ip_address)?.toLowerCase() === network.address);
      if (!entry) return { blocked: false };
      const expires = Number(entry.expires);
      return {
        blocked: true,
        vendorRef: network.address,
        ...(expires > 0 ? { expiresAt: new Date(expires * 1000) } : {}),
      };
    }
    const name = this.objectName(network);
    const group = await this.#transport.request(
      {
        method: 'GET',
        path: path`/api/v2/cmdb/firewall/addrgrp/${this.#group}`,
        query: { vdom: this.#vdom },
      },
      operation,
    );
    const members = asArray(firstResult(group).member).map((member) => asString(asRecord(member).name));
    if (!members.includes(name)) return { blocked: false };
    if (!withExpiry) return { blocked: true, vendorRef: name };
    const address = await this.#transport.request(
      {
        method: 'GET',
        path: path`/api/v2/cmdb/firewall/address/${name}`,
        query: { vdom: this.#vdom },
        accept: [404],
      },
      operation,
    );
    const expires = /expires=(\S+)/.exec(asString(firstResult(address).comment) ?? '')?.[1];
    const expiresAt = expires ? new Date(expires) : undefined;
    return {
      blocked: true,
      vendorRef: name,
      ...(expiresAt && !Number.isNaN(expiresAt.getTime()) ? { expiresAt } : {}),
    };
  }
}

function ref(state: BlockState): { vendorRef?: string } {
  return state.vendorRef ? { vendorRef: state.vendorRef } : {};
}
