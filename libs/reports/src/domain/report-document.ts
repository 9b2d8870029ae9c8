import type { Checkpoint } from '@rampart/audit';

import type { ReportKind } from './report-kind';

export type Cell = string | number | null;

export interface ReportTable {
  columns: { key: string; label: string }[];
  rows: Record<string, Cell>[];
}

/** Bars a reader compares at a glance (counts by severity, durations by phase). */
export interface BarChart {
  title: string;
  unit: string;
  bars: { label: string; value: number }[];
}

export interface ReportSection {
  id: string;
  heading: string;
  note?: string;
  chart?: BarChart;
  table?: ReportTable;
}

/** The signed chain head every report carries. */
export type ReportCheckpoint = Checkpoint;

/**
 * One report, whatever its output format: HTML and PDF lay it out, CSV writes its tables, JSON is
 * `data` itself. Built by pure functions from the period's rows.
 */
export interface ReportDocument {
  kind: ReportKind;
  title: string;
  period: { from: string; to: string };
  generatedAt: string;
  generatedBy: string;
  /** Key figures, rendered by the report's summary template into sentences. */
  facts: Record<string, unknown>;
  sections: ReportSection[];
  /** The machine-readable report (the JSON format). */
  data: Record<string, unknown>;
}
