import type { ReportView } from './report-store';

/** Where scheduled exports are written: REPORT_EXPORT_DIR (default `<SOAR_DATA_DIR>/exports`). */
export abstract class ExportDirectory {
  /** Writes the export as `<schedule>/<file>`; answers the path written. */
  abstract write(schedule: string, fileName: string, content: Buffer): Promise<string>;
}

/**
 * POSTs an export to a webhook. The one place a scheduled export leaves Rampart over the network:
 * the seam where an outbound (egress) policy checks the URL before any connection is made.
 */
export abstract class ReportWebhook {
  /** Answers the HTTP status; throws when no answer came (connection refused, timeout, refused by policy). */
  abstract post(url: string, report: ReportView, content: Buffer): Promise<number>;
}
