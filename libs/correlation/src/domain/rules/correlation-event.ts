import type { AlertEntity, SeverityId } from '@rampart/alerts';

/** What correlation rules see of one alert: a projection of the normalized alert. */
export interface CorrelationEvent {
  /** Identifies the event: two events with the same id are one alert delivered twice. */
  alertId: string;
  /**
   * When the detected activity happened, in milliseconds since the epoch; windows are measured on
   * this, never on arrival time. A number, not a Date: the rule cache holds one per stored alert.
   */
  timeMs: number;
  severityId: SeverityId;
  title: string;
  source: string;
  entities: AlertEntity[];
  tacticIds: string[];
  techniqueIds: string[];
}
