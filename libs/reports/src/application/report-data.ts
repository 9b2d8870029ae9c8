import type { AccessReviewFacts, PrincipalFacts } from '../domain/reports/access-review.report';
import type { ContainmentFacts } from '../domain/reports/containment-register.report';
import type { IncidentFacts } from '../domain/reports/incident-metrics.report';

/** What the reports read, for a period [from, to). */
export abstract class ReportData {
  /** Incidents opened in the period (merged ones excluded: they live on in the incident they joined). */
  abstract incidentsOpened(from: Date, to: Date): Promise<IncidentFacts[]>;
  /** Containment actions requested in the period, oldest first. */
  abstract containmentActions(from: Date, to: Date): Promise<ContainmentFacts[]>;
  /** Every principal that can sign in (API keys; users once they exist). */
  abstract principals(): Promise<PrincipalFacts[]>;
  abstract failedLogins(from: Date, to: Date): Promise<AccessReviewFacts['failedLogins']>;
  abstract accessChanges(from: Date, to: Date): Promise<AccessReviewFacts['changes']>;
}
