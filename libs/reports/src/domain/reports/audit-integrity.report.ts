import type { ReportSection } from '../report-document';

/** The verification of the whole chain, as the audit library answers it. */
export interface IntegrityFacts {
  verification: {
    valid: boolean;
    entries: number;
    head: { seq: number; hash: string };
    firstBrokenSeq?: number;
    reason?: string;
    message: string;
    checkpoints: { total: number; valid: number };
  };
  /** Entries written in the period, by action. */
  entriesByAction: { action: string; count: number }[];
}

export function auditIntegritySections(facts: IntegrityFacts): ReportSection[] {
  const { verification } = facts;
  return [
    {
      id: 'verification',
      heading: 'Verification of the whole chain',
      table: {
        columns: [
          { key: 'check', label: 'Check' },
          { key: 'result', label: 'Result' },
        ],
        rows: [
          { check: 'Result', result: verification.valid ? 'VALID' : 'BROKEN' },
          { check: 'Entries verified', result: verification.entries },
          {
            check: 'Chain head',
            result: `entry ${verification.head.seq}, SHA-256 ${verification.head.hash}`,
          },
          { check: 'First broken entry', result: verification.firstBrokenSeq ?? 'none' },
          { check: 'Detail', result: verification.message },
          {
            check: 'Signed checkpoints',
            result: `${verification.checkpoints.valid} of ${verification.checkpoints.total} valid`,
          },
        ],
      },
    },
    {
      id: 'entries',
      heading: 'Entries written in the period, by action',
      chart: {
        title: 'Audit entries, by action',
        unit: 'entries',
        bars: facts.entriesByAction.slice(0, 12).map((row) => ({ label: row.action, value: row.count })),
      },
      table: {
        columns: [
          { key: 'action', label: 'Action' },
          { key: 'count', label: 'Entries' },
        ],
        rows: facts.entriesByAction,
      },
    },
  ];
}
