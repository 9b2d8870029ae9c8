import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';

import { formatDiagnostic } from '@rampart/diagnostics';

import { PlaybookFiles } from '../application/playbook-files';
import { PlaybookRegistry, type RegistryChange } from '../application/playbook-registry';

/** Changes usually come as a burst of events (an editor's save, a git checkout): wait for quiet. */
const DEBOUNCE_MS = 300;
/** Catches what the watch misses (network file systems, a directory created later). */
const RESCAN_INTERVAL_MS = 30_000;

/**
 * Keeps the registry in step with the files: loads them at start, again shortly after the
 * directory changes (fs.watch, debounced), and every 30 seconds in any case.
 */
@Injectable()
export class PlaybookReloader implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Playbooks');
  private watcher: { close(): void } | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private rescan: NodeJS.Timeout | null = null;

  constructor(
    private readonly registry: PlaybookRegistry,
    private readonly files: PlaybookFiles,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.watch();
    this.rescan = setInterval(() => {
      if (this.watcher === null) this.watch();
      void this.reload();
    }, RESCAN_INTERVAL_MS);
    this.rescan.unref();
  }

  onModuleDestroy(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.debounce !== null) clearTimeout(this.debounce);
    if (this.rescan !== null) clearInterval(this.rescan);
  }

  /** Reloads now; logs what changed and the problems of the new set. */
  async reload(): Promise<RegistryChange | null> {
    try {
      const change = await this.registry.reload();
      if (change.changed) this.report(change);
      return change;
    } catch (error) {
      this.logger.error(
        `reloading playbooks failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }

  private watch(): void {
    this.watcher = this.files.watch(() => {
      if (this.debounce !== null) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => {
        this.debounce = null;
        void this.reload();
      }, DEBOUNCE_MS);
      this.debounce.unref();
    });
  }

  private report(change: RegistryChange): void {
    for (const diagnostic of change.diagnostics) {
      const line = formatDiagnostic(diagnostic);
      if (diagnostic.severity === 'error') this.logger.error(line);
      else this.logger.warn(line);
    }
    const playbooks = this.registry.list();
    const valid = playbooks.filter((entry) => entry.state === 'valid').length;
    const changes = [
      change.added.length > 0 ? `added ${change.added.join(', ')}` : null,
      change.updated.length > 0 ? `updated ${change.updated.join(', ')}` : null,
      change.removed.length > 0 ? `removed ${change.removed.join(', ')}` : null,
    ].filter((part) => part !== null);
    this.logger.log(
      `${valid} of ${playbooks.length} playbook file(s) valid${changes.length > 0 ? ` (${changes.join('; ')})` : ''}`,
    );
  }
}
