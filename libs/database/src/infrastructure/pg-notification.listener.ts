import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';

import { DatabaseNotifications } from '../application/database-notifications';

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export interface ListenerTiming {
  /** How often the listening connection is asked a trivial query while it waits. */
  heartbeatMs: number;
  /** How long an answer may take before the connection is taken for lost. */
  heartbeatTimeoutMs: number;
}

const DEFAULT_TIMING: ListenerTiming = { heartbeatMs: 15_000, heartbeatTimeoutMs: 5_000 };

/**
 * One dedicated connection per process LISTENs to every subscribed channel (a pooled connection
 * would be handed to other work between notifications). Lost connections are re-established with
 * a growing delay; subscribers are woken after each reconnection, for what they may have missed.
 *
 * A connection can also die silently: a firewall or NAT that forgets an idle flow, a peer gone
 * without a reset. A listening connection only receives, so it would never notice, and the caches
 * that trust it (NotifiedCache: API keys, delivery sources) would serve what they hold until their
 * TTL. A heartbeat query every `heartbeatMs` that is not answered within `heartbeatTimeoutMs` ends
 * it as lost; until a new connection listens, those caches answer from the database.
 */
@Injectable()
export class PgNotificationListener extends DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger('DatabaseNotifications');
  private readonly subscribers = new Map<string, Set<() => void>>();
  /** The channels the current connection has LISTENed to (the LISTEN answered). */
  private readonly listening = new Set<string>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly timing: ListenerTiming = DEFAULT_TIMING,
  ) {
    super();
  }

  subscribe(channel: string, onWake: () => void): () => void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      if (this.client) void this.listenAndWake(this.client, channel);
    }
    set.add(onWake);
    this.ensureConnected();
    return () => {
      set.delete(onWake);
    };
  }

  isListening(channel: string): boolean {
    return this.client !== null && this.listening.has(channel);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.stopHeartbeat();
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = null;
    this.listening.clear();
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): void {
    if (this.client || this.connecting || this.closed || this.retryTimer) return;
    this.connecting = this.connect().finally(() => {
      this.connecting = null;
    });
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.url,
      application_name: 'rampart-listener',
      // A statement of this connection (LISTEN, the heartbeat) unanswered this long fails.
      query_timeout: this.timing.heartbeatTimeoutMs,
    });
    try {
      await client.connect();
      if (this.closed) {
        await client.end();
        return;
      }
      client.on('notification', (message) => this.wake(message.channel));
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client));
      const channels = [...this.subscribers.keys()];
      for (const channel of channels) await this.listen(client, channel);
      this.client = client;
      this.listening.clear();
      for (const channel of channels) this.listening.add(channel);
      this.failures = 0;
      this.startHeartbeat(client);
      // Whatever was notified while no connection listened is found by reading: wake everyone.
      for (const channel of channels) this.wake(channel);
      // Channels subscribed while this connection was being set up.
      for (const channel of this.subscribers.keys()) {
        if (!this.listening.has(channel)) void this.listenAndWake(client, channel);
      }
    } catch (error) {
      await discard(client);
      if (!this.closed) {
        this.logger.warn(`cannot listen: ${(error as Error).message}; retrying`);
        this.scheduleReconnect();
      }
    }
  }

  /** The connection went away: nobody is listening until a new one has LISTENed again. */
  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.listening.clear();
    this.stopHeartbeat();
    void discard(client);
    if (!this.closed) {
      this.logger.warn(`listening connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
      this.scheduleReconnect();
    }
  }

  private startHeartbeat(client: Client): void {
    this.stopHeartbeat();
    this.heartbeatTimer = setInterval(() => void this.heartbeat(client), this.timing.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private async heartbeat(client: Client): Promise<void> {
    // The client's query_timeout fails the query when no answer comes in time.
    await client.query('SELECT 1').catch((error: Error) => this.lost(client, error));
  }

  private scheduleReconnect(): void {
    this.failures += 1;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** (this.failures - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensureConnected();
    }, delay);
    this.retryTimer.unref();
  }

  /** A channel subscribed while the connection was already up. */
  private async listenAndWake(client: Client, channel: string): Promise<void> {
    try {
      await this.listen(client, channel);
    } catch (error) {
      // A connection that cannot LISTEN is of no use: start again on a new one.
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    this.listening.add(channel);
    this.wake(channel);
  }

  private async listen(client: Client, channel: string): Promise<void> {
    // The name was checked against a strict pattern; LISTEN takes no bind parameters.
    await client.query(`LISTEN ${channel}`);
  }

  private wake(channel: string): void {
    for (const onWake of this.subscribers.get(channel) ?? []) onWake();
  }
}

/** Closes a connection we no longer use; an 'error' it may still emit must not go unhandled. */
async function discard(client: Client): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => undefined);
  await client.end().catch(() => undefined);
}
