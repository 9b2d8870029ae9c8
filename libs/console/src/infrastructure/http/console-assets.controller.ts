import { readFileSync } from 'node:fs';
import path from 'node:path';

import { Controller, Get, HttpStatus, Param, Res } from '@nestjs/common';
import type { Response } from 'express';

import { Public } from '@rampart/auth';
import { ApiDoc, ApiError } from '@rampart/web';

import { consoleDirectory } from './console-views';

interface Asset {
  contentType: string;
  body: Buffer;
}

/**
 * The console's script and style: ours from libs/console/static, htmx from node_modules (never a
 * CDN). A fixed list, read once; nothing else of the file system is reachable from here.
 */
function loadAssets(): Map<string, Asset> {
  const ownDir = consoleDirectory('static');
  const files: [string, string, string][] = [
    ['console.js', path.join(ownDir, 'console.js'), 'text/javascript; charset=utf-8'],
    ['console.css', path.join(ownDir, 'console.css'), 'text/css; charset=utf-8'],
    ['htmx.min.js', require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'],
  ];
  return new Map(files.map(([name, file, contentType]) => [name, { contentType, body: readFileSync(file) }]));
}

@Controller('console/assets')
export class ConsoleAssetsController {
  private readonly assets = loadAssets();

  @Public()
  @Get(':file')
  @ApiDoc({
    summary: 'Console: its script and style sheet (console.js, console.css, htmx.min.js)',
    responses: {
      200: { description: 'the file', contentType: 'text/javascript', schema: { type: 'string' } },
    },
    errors: [404],
  })
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = this.assets.get(file);
    if (!asset)
      throw new ApiError(HttpStatus.NOT_FOUND, 'not_found', `no console asset ${file}`, {
        field: 'param.file',
      });
    response.setHeader('Cache-Control', 'public, max-age=300');
    response.type(asset.contentType).send(asset.body);
  }
}
