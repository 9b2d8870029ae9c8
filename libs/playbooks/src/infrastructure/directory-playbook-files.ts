import { type FSWatcher, watch } from 'node:fs';

import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import { PlaybookFiles, type PlaybookFilesSnapshot } from '../application/playbook-files';
import { readPlaybookDirectory } from './read-playbook-directory';

/** The playbook files of PLAYBOOKS_DIR. */
@Injectable()
export class DirectoryPlaybookFiles extends PlaybookFiles {
  constructor(private readonly config: AppConfig) {
    super();
  }

  /** As configured (relative paths stay relative), so diagnostics read `playbooks/x.yaml:12`. */
  get directory(): string {
    return this.config.env.PLAYBOOKS_DIR;
  }

  read(): Promise<PlaybookFilesSnapshot> {
    return readPlaybookDirectory(this.directory);
  }

  watch(changed: () => void): { close(): void } | null {
    let watcher: FSWatcher;
    try {
      watcher = watch(this.directory, { persistent: false }, () => changed());
    } catch {
      return null; // no directory (yet): the periodic rescan notices when it appears
    }
    // A directory that is removed or replaced (a ConfigMap update) ends the watch with an error;
    // the rescan carries on.
    watcher.on('error', () => watcher.close());
    return watcher;
  }
}
