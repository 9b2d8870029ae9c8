import type { ReportCheckpoint, ReportDocument } from '../domain/report-document';

export type DocumentFormat = 'html' | 'pdf' | 'csv' | 'json';

/** Lays a report out in one of the document formats, with the signed checkpoint it carries. */
export abstract class ReportRenderer {
  abstract render(
    document: ReportDocument,
    format: DocumentFormat,
    checkpoint: ReportCheckpoint,
  ): Promise<Buffer>;
}
