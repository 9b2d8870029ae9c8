import { type DurationStats, durationStats, humanDuration } from '../duration-stats';
import type { ReportSection, ReportTable } from '../report-document';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One incident opened in the period, with the times its lifecycle stamped. */
export interface IncidentFacts {
  id: string;
  number: number;
  title: string;
  severity: Severity;
  status: string;
  firstSeen: Date;
  createdAt: Date;
  acknowledgedAt: Date | null;
  containedAt: Date | null;
  resolvedAt: Date | null;
  /** SIEM sources of its alerts. */
  sources: string[];
  /** ATT&CK tactics of its alerts: the incident's categories. */
  categories: string[];
}

export type SlaPhase = 'acknowledge' | 'contain' | 'resolve';
export const SLA_PHASES: SlaPhase[] = ['acknowledge', 'contain', 'resolve'];
export type SlaTable = Record<SlaPhase, Partial<Record<Severity, number>>>;

export interface SlaBreach {
  number: number;
  title: string;
  severity: Severity;
  phase: SlaPhase;
  /** Time taken, or elapsed so far when the phase is not reached (`open`). */
  elapsedMs: number;
  slaMs: number;
  open: boolean;
}

export interface IncidentMetrics {
  incidents: number;
  bySeverity: Record<Severity, number>;
  bySource: { source: string; incidents: number }[];
  byCategory: { category: string; incidents: number }[];
  timeTo: Record<'detect' | SlaPhase, DurationStats>;
  slaBreaches: SlaBreach[];
  breachesByPhase: Record<SlaPhase, number>;
}

const PHASE_TIME: Record<SlaPhase, keyof IncidentFacts> = {
  acknowledge: 'acknowledgedAt',
  contain: 'containedAt',
  resolve: 'resolvedAt',
};

/**
 * NIST SP 800-61 handling metrics over the incidents opened in a period. Time to detect runs from
 * the first alert's event to the incident's opening; the other phases from the opening to the
 * first time the incident reached that status. An incident still short of a phase at `asOf`
 * breaches its SLA once the SLA has elapsed (an open breach).
 */
export function incidentMetrics(
  incidents: readonly IncidentFacts[],
  slas: SlaTable,
  asOf: Date,
): IncidentMetrics {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<
    Severity,
    number
  >;
  const sources = new Map<string, number>();
  const categories = new Map<string, number>();
  const durations: Record<'detect' | SlaPhase, number[]> = {
    detect: [],
    acknowledge: [],
    contain: [],
    resolve: [],
  };
  const slaBreaches: SlaBreach[] = [];
  for (const incident of incidents) {
    bySeverity[incident.severity] += 1;
    for (const source of new Set(incident.sources)) sources.set(source, (sources.get(source) ?? 0) + 1);
    const tactics = incident.categories.length > 0 ? new Set(incident.categories) : ['uncategorized'];
    for (const category of tactics) categories.set(category, (categories.get(category) ?? 0) + 1);
    durations.detect.push(Math.max(0, incident.createdAt.getTime() - incident.firstSeen.getTime()));
    for (const phase of SLA_PHASES) {
      const reached = incident[PHASE_TIME[phase]] as Date | null;
      if (reached) durations[phase].push(Math.max(0, reached.getTime() - incident.createdAt.getTime()));
      const slaMs = slas[phase][incident.severity];
      if (slaMs === undefined) continue;
      const elapsedMs = (reached ?? asOf).getTime() - incident.createdAt.getTime();
      if (elapsedMs > slaMs) {
        slaBreaches.push({
          number: incident.number,
          title: incident.title,
          severity: incident.severity,
          phase,
          elapsedMs,
          slaMs,
          open: reached === null,
        });
      }
    }
  }
  const ranked = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    incidents: incidents.length,
    bySeverity,
    bySource: ranked(sources).map(([source, count]) => ({ source, incidents: count })),
    byCategory: ranked(categories).map(([category, count]) => ({ category, incidents: count })),
    timeTo: {
      detect: durationStats(durations.detect),
      acknowledge: durationStats(durations.acknowledge),
      contain: durationStats(durations.contain),
      resolve: durationStats(durations.resolve),
    },
    slaBreaches,
    breachesByPhase: {
      acknowledge: slaBreaches.filter((breach) => breach.phase === 'acknowledge').length,
      contain: slaBreaches.filter((breach) => breach.phase === 'contain').length,
      resolve: slaBreaches.filter((breach) => breach.phase === 'resolve').length,
    },
  };
}

export function incidentMetricsSections(metrics: IncidentMetrics): ReportSection[] {
  const minutes = (ms: number | null) => (ms === null ? 0 : Math.round(ms / 60_000));
  return [
    {
      id: 'severity',
      heading: 'Incidents by severity',
      chart: {
        title: 'Incidents opened, by severity',
        unit: 'incidents',
        bars: SEVERITIES.map((severity) => ({ label: severity, value: metrics.bySeverity[severity] })),
      },
      table: incidentCounts(
        'severity',
        'Severity',
        SEVERITIES.map((severity) => ({ severity, incidents: metrics.bySeverity[severity] })),
      ),
    },
    {
      id: 'source',
      heading: 'Incidents by source',
      note: 'An incident with alerts from several sources counts under each.',
      table: incidentCounts('source', 'Source', metrics.bySource),
    },
    {
      id: 'category',
      heading: 'Incidents by category (ATT&CK tactic)',
      table: incidentCounts('category', 'Category', metrics.byCategory),
    },
    {
      id: 'timing',
      heading: 'Time to detect, acknowledge, contain and resolve',
      chart: {
        title: 'Mean time per phase',
        unit: 'minutes',
        bars: (['detect', ...SLA_PHASES] as const).map((phase) => ({
          label: phase,
          value: minutes(metrics.timeTo[phase].meanMs),
        })),
      },
      table: {
        columns: [
          { key: 'phase', label: 'Phase' },
          { key: 'count', label: 'Incidents' },
          { key: 'mean', label: 'Mean' },
          { key: 'p50', label: 'Median' },
          { key: 'p90', label: '90th percentile' },
          { key: 'p95', label: '95th percentile' },
          { key: 'max', label: 'Longest' },
        ],
        rows: (['detect', ...SLA_PHASES] as const).map((phase) => {
          const stats = metrics.timeTo[phase];
          return {
            phase,
            count: stats.count,
            mean: humanDuration(stats.meanMs),
            p50: humanDuration(stats.p50Ms),
            p90: humanDuration(stats.p90Ms),
            p95: humanDuration(stats.p95Ms),
            max: humanDuration(stats.maxMs),
          };
        }),
      },
    },
    {
      id: 'sla',
      heading: 'SLA breaches',
      note: 'Open: the phase was not reached by the end of the period and its SLA had elapsed.',
      table: {
        columns: [
          { key: 'incident', label: 'Incident' },
          { key: 'title', label: 'Title' },
          { key: 'severity', label: 'Severity' },
          { key: 'phase', label: 'Phase' },
          { key: 'elapsed', label: 'Took' },
          { key: 'sla', label: 'SLA' },
          { key: 'open', label: 'Open' },
        ],
        rows: metrics.slaBreaches.map((breach) => ({
          incident: `#${breach.number}`,
          title: breach.title,
          severity: breach.severity,
          phase: breach.phase,
          elapsed: humanDuration(breach.elapsedMs),
          sla: humanDuration(breach.slaMs),
          open: breach.open ? 'yes' : 'no',
        })),
      },
    },
  ];
}

/** Incidents counted by one dimension: a two-column table. */
function incidentCounts(key: string, label: string, rows: ReportTable['rows']): ReportTable {
  return {
    columns: [
      { key, label },
      { key: 'incidents', label: 'Incidents' },
    ],
    rows,
  };
}
