import type { AlertIntake } from './alert-store';
import type {
  AlertFormat,
  AlertSeverityName,
  LabelledField,
  NormalizedAlert,
} from '../domain/normalized-alert';

export interface AlertSearchFilter {
  /** `type:value` (host:web-01, user:corp\jdoe) or a bare value matched against any entity type. */
  entity?: string;
  /** Event time from (inclusive) and to (inclusive). */
  from?: Date;
  to?: Date;
  format?: AlertFormat[];
  source?: string;
  severity?: AlertSeverityName[];
  /** Words looked for in the title, description and threat name (case-insensitive). */
  text?: string;
  limit: number;
  cursor?: string;
}

export interface AlertSummary {
  id: string;
  time: string;
  receivedAt: string;
  intake: AlertIntake;
  format: AlertFormat;
  source: string;
  externalId: string | null;
  title: string;
  threatName: string | null;
  severity: AlertSeverityName;
  severityId: number;
  ruleName: string | null;
  entities: NormalizedAlert['entities'];
}

export interface AlertDetail {
  id: string;
  receivedAt: string;
  intake: AlertIntake;
  /** The normalized alert (the model every format becomes), without the raw original. */
  alert: Omit<NormalizedAlert, 'raw' | 'time'> & {
    time: string;
    severity: AlertSeverityName;
    customFields: LabelledField[];
  };
  /** The alert's own bytes as received, as text; null for alerts stored before they were kept. */
  original: string | null;
  /** The original as parsed (JSON), or the CEF line. */
  raw: unknown;
}

export class InvalidAlertCursorError extends Error {}

/** Read side of stored alerts: one alert, and search with keyset paging (newest first). */
export abstract class AlertReader {
  abstract get(id: string): Promise<AlertDetail | null>;
  abstract search(filter: AlertSearchFilter): Promise<{ items: AlertSummary[]; nextCursor: string | null }>;
}
