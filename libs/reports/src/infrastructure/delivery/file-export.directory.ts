import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { Injectable } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import { ExportDirectory } from '../../application/report-delivery';

/** REPORT_EXPORT_DIR, or `exports` in the data directory. Files appear whole (written, then renamed). */
@Injectable()
export class FileExportDirectory extends ExportDirectory {
  private readonly root: string;

  constructor(config: AppConfig) {
    super();
    this.root = path.resolve(config.env.REPORT_EXPORT_DIR ?? path.join(config.env.SOAR_DATA_DIR, 'exports'));
  }

  async write(schedule: string, fileName: string, content: Buffer): Promise<string> {
    // Schedule names and file names are ours and validated; basename keeps them from climbing anyway.
    const dir = path.join(this.root, path.basename(schedule));
    await mkdir(dir, { recursive: true, mode: 0o750 });
    const file = path.join(dir, path.basename(fileName));
    const partial = `${file}.partial`;
    await writeFile(partial, content, { mode: 0o640 });
    await rename(partial, file);
    return file;
  }
}
