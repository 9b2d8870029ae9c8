import type { SqlExecutor } from '@rampart/database';

import type { ReportCheckpoint } from '../domain/report-document';
import type { ReportFormat, ReportKind } from '../domain/report-kind';

/** A generated report, without its bytes. */
export interface ReportView {
  id: string;
  kind: ReportKind;
  format: ReportFormat;
  period: { from: string; to: string };
  createdAt: string;
  requestedBy: string;
  scheduleId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  checkpoint: ReportCheckpoint;
}

export type NewReport = Omit<ReportView, 'createdAt'> & { content: Buffer };

export abstract class ReportStore {
  abstract insert(sql: SqlExecutor, report: NewReport): Promise<ReportView>;
  abstract find(id: string): Promise<ReportView | null>;
  abstract content(id: string): Promise<{ view: ReportView; content: Buffer } | null>;
  /** Newest first; `before` is the id of the last report of the previous page. */
  abstract list(limit: number, before?: { createdAt: string; id: string }): Promise<ReportView[]>;
}
