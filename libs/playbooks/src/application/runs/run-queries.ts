import type { ApprovalRecord } from './run-repository';

export interface RunSummary {
  id: string;
  playbookId: string;
  playbookHash: string;
  incidentId: string;
  parentRunId: string | null;
  status: string;
  reason: string | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

export interface RunListFilter {
  incidentId?: string;
  playbookId?: string;
  status?: string[];
  limit: number;
  cursor?: string;
}

/** Read side of runs and approvals for the API and the console. */
export abstract class RunQueries {
  abstract list(filter: RunListFilter): Promise<{ items: RunSummary[]; nextCursor: string | null }>;
  /** The run with its steps (inputs, outputs, errors, timings), approvals, actions and timeline. */
  abstract get(runId: string): Promise<Record<string, unknown> | null>;
  abstract approvals(filter: {
    status?: string[];
    incidentId?: string;
    limit: number;
  }): Promise<ApprovalRecord[]>;
}
