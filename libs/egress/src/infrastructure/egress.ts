import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { type EgressDenial, EgressPolicy } from '../domain/egress-policy';

/** The error a refused destination fails with; `denial` is for logs only. */
export class EgressDeniedError extends Error {
  readonly code = 'EGRESS_DENIED';

  constructor(readonly denial: EgressDenial) {
    super(
      `destination ${denial.host}${denial.address && denial.address !== denial.host ? ` (${denial.address})` : ''} ` +
        `is refused by the egress policy: ${denial.reason}; allow it in SOAR_EGRESS_ALLOW`,
    );
    this.name = 'EgressDeniedError';
  }
}

export function isEgressDenied(error: unknown): error is EgressDeniedError {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof EgressDeniedError || (cause as { code?: unknown }).code === 'EGRESS_DENIED')
      return true;
  }
  return false;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * HTTP(S) agents that connect only where the policy allows. The check is made on the addresses
 * the name resolves to, in the lookup the socket itself uses, so the address checked is the
 * address connected to (no DNS rebinding between a check and the connection); a literal address
 * (which the socket connects to without a lookup) is checked before connecting, and the peer
 * address is checked again once connected. Any refused address fails the whole name.
 */
export class Egress {
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;

  constructor(readonly policy: EgressPolicy) {
    this.httpAgent = guardedAgent(new http.Agent({ keepAlive: true }), policy);
    this.httpsAgent = guardedAgent(new https.Agent({ keepAlive: true }), policy);
  }

  /** Only public unicast destinations (the policy when nothing is configured). */
  static strict(): Egress {
    return (strict ??= new Egress(EgressPolicy.strict()));
  }

  /** A lookup that refuses what the policy refuses (exposed for other clients than these agents). */
  lookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
    guardedLookup(this.policy)(hostname, options, callback);
  }
}

let strict: Egress | undefined;

type ConnectionCallback = (error: Error | null, stream?: Duplex) => void;
type CreateConnection = (
  options: http.ClientRequestArgs,
  callback?: ConnectionCallback,
) => Duplex | null | undefined;

/** The agent with its createConnection (net or tls) wrapped by the policy's checks. */
function guardedAgent<T extends http.Agent>(agent: T, policy: EgressPolicy): T {
  const connect = (agent as unknown as { createConnection: CreateConnection }).createConnection.bind(agent);
  const lookup = guardedLookup(policy);
  const createConnection: CreateConnection = (options, callback) => {
    const host = String(options.host ?? options.hostname ?? 'localhost');
    const before = policy.checkHost(host);
    if (before) {
      process.nextTick(() => callback?.(new EgressDeniedError(before)));
      return undefined;
    }
    const socket = connect({ ...options, lookup } as http.ClientRequestArgs, callback) as
      Socket | null | undefined;
    // Registered before the HTTP client's own listener: nothing is written to a refused peer.
    socket?.once('connect', () => {
      const peer = socket.remoteAddress;
      const denial = peer === undefined ? null : policy.checkAddress(peer, isIP(host) ? peer : host);
      if (denial) socket.destroy(new EgressDeniedError(denial));
    });
    return socket;
  };
  (agent as unknown as { createConnection: CreateConnection }).createConnection = createConnection;
  return agent;
}

function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      for (const entry of list) {
        const denial = policy.checkAddress(entry.address, hostname);
        if (denial) return callback(new EgressDeniedError(denial) as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first)
        return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
