import { Injectable } from '@nestjs/common';

import {
  compilePlaybookSet,
  type LoadedPlaybook,
  type Playbook,
  type PlaybookCatalog,
  type PlaybookDiagnostic,
  sha256Hex,
} from '../domain';
import { PlaybookFiles } from './playbook-files';

/** What a reload changed, by playbook id (files without a readable id count by file name). */
export interface RegistryChange {
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
  diagnostics: PlaybookDiagnostic[];
}

interface LoadedSet {
  playbooks: LoadedPlaybook[];
  byId: Map<string, LoadedPlaybook>;
  diagnostics: PlaybookDiagnostic[];
  hash: string;
  loadedAt: Date | null;
}

const EMPTY: LoadedSet = {
  playbooks: [],
  byId: new Map(),
  diagnostics: [],
  hash: sha256Hex(''),
  loadedAt: null,
};

/**
 * The playbooks loaded from PLAYBOOKS_DIR: every file with its validation state, content hash and
 * diagnostics. A reload compiles the whole set aside and swaps it in at once, so a reader never
 * sees half a reload; a bad file is listed as invalid and never stops the others.
 */
@Injectable()
export class PlaybookRegistry implements PlaybookCatalog {
  private current: LoadedSet = EMPTY;
  private reloading: Promise<RegistryChange> | null = null;
  private again = false;

  constructor(private readonly files: PlaybookFiles) {}

  /** The valid playbook with this id. */
  get(id: string): Playbook | undefined {
    const entry = this.current.byId.get(id);
    return entry?.state === 'valid' && entry.playbook !== null ? entry.playbook : undefined;
  }

  /** The file that defines this id, valid or not. */
  entry(id: string): LoadedPlaybook | undefined {
    return this.current.byId.get(id);
  }

  /** Every file, in file-name order. */
  list(): readonly LoadedPlaybook[] {
    return this.current.playbooks;
  }

  validPlaybooks(): Playbook[] {
    return this.current.playbooks.flatMap((entry) => (entry.playbook === null ? [] : [entry.playbook]));
  }

  /** sha256 over every file name and content hash: changes whenever any playbook file does. */
  currentHash(): string {
    return this.current.hash;
  }

  loadedAt(): Date | null {
    return this.current.loadedAt;
  }

  diagnostics(): readonly PlaybookDiagnostic[] {
    return this.current.diagnostics;
  }

  /**
   * Reads the files again and swaps in the new set when anything changed. Reloads never overlap:
   * one asked for during another runs right after it.
   */
  async reload(): Promise<RegistryChange> {
    if (this.reloading !== null) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      let change: RegistryChange;
      do {
        this.again = false;
        change = await this.readAndSwap();
      } while (this.again);
      return change;
    })();
    try {
      return await this.reloading;
    } finally {
      this.reloading = null;
    }
  }

  private async readAndSwap(): Promise<RegistryChange> {
    const { sources, diagnostics: readProblems } = await this.files.read();
    const hash = sha256Hex(
      sources.map((source) => `${source.file}\u0000${source.hash ?? sha256Hex(source.text)}`).join('\n'),
    );
    const unchanged = {
      changed: false,
      added: [],
      updated: [],
      removed: [],
      diagnostics: this.current.diagnostics,
    };
    if (this.current.loadedAt !== null && hash === this.current.hash && readProblems.length === 0)
      return unchanged;
    const compiled = compilePlaybookSet(sources);
    const byId = new Map<string, LoadedPlaybook>();
    for (const entry of compiled.playbooks)
      if (entry.id !== null && !byId.has(entry.id)) byId.set(entry.id, entry);
    const next: LoadedSet = {
      playbooks: compiled.playbooks,
      byId,
      diagnostics: [...readProblems, ...compiled.diagnostics],
      hash,
      loadedAt: new Date(),
    };
    const before = new Map([...this.current.byId].map(([id, entry]) => [id, entry.hash]));
    const after = new Map([...byId].map(([id, entry]) => [id, entry.hash]));
    const change: RegistryChange = {
      changed: hash !== this.current.hash || this.current.loadedAt === null,
      added: [...after.keys()].filter((id) => !before.has(id)),
      updated: [...after.keys()].filter((id) => before.has(id) && before.get(id) !== after.get(id)),
      removed: [...before.keys()].filter((id) => !after.has(id)),
      diagnostics: next.diagnostics,
    };
    this.current = next;
    return change;
  }
}
