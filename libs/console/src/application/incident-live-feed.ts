import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

import { type IncidentEvent, IncidentEventFeed } from '@rampart/incidents';

export type LiveListener = (event: IncidentEvent) => void;

const PAGE = 500;
/**
 * A notification can arrive while a writer of incident events still holds the feed's fence (see
 * SqlIncidentEventFeed); the poll then picks the event up.
 */
const POLL_MS = 1_000;

/**
 * One reader of the incident event feed for every open console in this process, handing each
 * committed change to the listeners (the server-sent event streams). It starts at the end of the
 * feed when the first console connects (a console wants what happens from now on; it rendered
 * the rest) and stops when the last one leaves.
 */
@Injectable()
export class IncidentLiveFeed implements OnModuleDestroy {
  private readonly log = new Logger('IncidentLiveFeed');
  private readonly listeners = new Set<LiveListener>();
  private cursor: string | null = null;
  private caughtUp = false;
  private readyWaiters: (() => void)[] = [];
  private running: AbortController | null = null;

  constructor(private readonly feed: IncidentEventFeed) {}

  /**
   * Adds a listener; `ready` is called once every change committed from now on will reach it.
   * The function returned removes it.
   */
  subscribe(listener: LiveListener, ready: () => void = () => undefined): () => void {
    this.listeners.add(listener);
    if (!this.running) this.start();
    if (this.caughtUp) ready();
    else this.readyWaiters.push(ready);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  onModuleDestroy(): void {
    this.listeners.clear();
    this.stop();
  }

  private start(): void {
    const controller = new AbortController();
    this.running = controller;
    this.loop(controller.signal).catch((error: unknown) => {
      this.log.error(`live incident feed stopped: ${error instanceof Error ? error.message : String(error)}`);
      if (this.running === controller) this.running = null;
    });
  }

  private stop(): void {
    this.running?.abort();
    this.running = null;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    // Events from before the first console connected were on the pages it rendered.
    this.cursor ??= await this.feed.end();
    while (!signal.aborted) {
      const page = await this.feed.readAfter(this.cursor, PAGE);
      this.cursor = page.cursor;
      // Events from before the first console connected were on the pages it rendered.
      if (this.caughtUp) for (const event of page.events) this.emit(event);
      if (page.events.length === PAGE) continue;
      this.caughtUp = true;
      for (const ready of this.readyWaiters.splice(0)) ready();
      await this.feed.waitForEvents(signal, POLL_MS);
    }
  }

  private emit(event: IncidentEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn(`a live listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
