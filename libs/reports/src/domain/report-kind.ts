export const REPORT_KINDS = [
  'incident_metrics',
  'containment_register',
  'audit_integrity',
  'access_review',
  'audit_trail',
] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json', 'ndjson'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The audit trail export is NDJSON (what `npm run audit:verify` reads); the others, any document format. */
export function formatsOf(kind: ReportKind): ReportFormat[] {
  return kind === 'audit_trail' ? ['ndjson'] : ['html', 'pdf', 'csv', 'json'];
}

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
};

export const REPORT_TITLES: Record<ReportKind, string> = {
  incident_metrics: 'Incident handling metrics (NIST SP 800-61)',
  containment_register: 'Containment actions register (SOC 2 CC7.4, PCI DSS 12.10)',
  audit_integrity: 'Audit trail integrity attestation (PCI DSS 10)',
  access_review: 'Access review (SOC 2 CC6)',
  audit_trail: 'Audit trail export',
};
