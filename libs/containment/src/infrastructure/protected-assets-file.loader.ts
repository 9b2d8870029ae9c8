import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

import { AppConfig } from '@rampart/config';

import {
  compileProtectedAssetsFile,
  formatProtectedAssetsFileDiagnostic,
} from '../application/compile-protected-assets-file';
import { ProtectedAssetStore } from '../application/protected-asset-store';

/**
 * Loads PROTECTED_ASSETS_FILE at start: its assets become exactly the file's (`source: file`). A
 * bad entry is reported with its line and skipped; an unreadable file stops start-up (running
 * without the protections an admin configured would be worse).
 */
@Injectable()
export class ProtectedAssetsFileLoader implements OnModuleInit {
  private readonly logger = new Logger('ProtectedAssetsFile');

  constructor(
    private readonly config: AppConfig,
    private readonly store: ProtectedAssetStore,
  ) {}

  async onModuleInit(): Promise<void> {
    const configured = this.config.env.PROTECTED_ASSETS_FILE;
    if (!configured) return;
    const file = path.resolve(configured);
    const { assets, diagnostics } = compileProtectedAssetsFile(file, await readFile(file, 'utf8'));
    for (const diagnostic of diagnostics) this.logger.error(formatProtectedAssetsFileDiagnostic(diagnostic));
    await this.store.replaceFileAssets(assets);
    this.logger.log(`${assets.length} protected asset(s) loaded from ${file}`);
  }
}
