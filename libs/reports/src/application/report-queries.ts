import { Injectable } from '@nestjs/common';

import { ReportError } from './report-error';
import { ReportStore, type ReportView } from './report-store';

/** Generated reports: list, one, and the bytes to download. */
@Injectable()
export class ReportQueries {
  constructor(private readonly store: ReportStore) {}

  async list(limit: number, cursor?: string): Promise<{ items: ReportView[]; nextCursor?: string }> {
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    const items = await this.store.list(limit + 1, before);
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return items.length > limit && last
      ? {
          items: page,
          nextCursor: Buffer.from(JSON.stringify({ t: last.createdAt, id: last.id })).toString('base64url'),
        }
      : { items: page };
  }

  async get(id: string): Promise<ReportView> {
    const view = await this.store.find(id);
    if (!view) throw new ReportError('not_found', `no report ${id}`, 'id');
    return view;
  }

  async download(id: string): Promise<{ view: ReportView; content: Buffer }> {
    const report = await this.store.content(id);
    if (!report) throw new ReportError('not_found', `no report ${id}`, 'id');
    return report;
  }
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      t?: unknown;
      id?: unknown;
    };
    if (
      typeof value.t === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(value.t) &&
      typeof value.id === 'string' &&
      /^[0-9a-f-]{36}$/.test(value.id)
    ) {
      return { createdAt: value.t, id: value.id };
    }
  } catch {
    // not ours
  }
  throw new ReportError('invalid_request', 'cursor: not a cursor of this list', 'cursor');
}
