import type { PlaybookDiagnostic, PlaybookSource } from '../domain';

/** The playbook files as read now, and the problems reading them (unreadable file, no directory). */
export interface PlaybookFilesSnapshot {
  sources: PlaybookSource[];
  diagnostics: PlaybookDiagnostic[];
}

/** Where playbooks come from: PLAYBOOKS_DIR in production. */
export abstract class PlaybookFiles {
  /** Every playbook file, in file-name order. Never throws for a missing or unreadable file. */
  abstract read(): Promise<PlaybookFilesSnapshot>;

  /**
   * Calls `changed` (possibly several times per change, possibly for unrelated files) when the
   * files may have changed; null when changes cannot be watched (the periodic rescan covers it).
   */
  abstract watch(changed: () => void): { close(): void } | null;
}
