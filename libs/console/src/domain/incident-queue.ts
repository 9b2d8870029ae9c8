/** Sorting and searching of the incident queue page: pure. */

import { type IncidentSearch, parseIncidentSearch } from '@rampart/incidents';

export const QUEUE_SORTS = ['number', 'severity', 'lastSeen', 'alertCount', 'status'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueIncident {
  id: string;
  number: number;
  title: string;
  status: string;
  severity: string;
  severityId: number;
  assignee: string | null;
  alertCount: number;
  lastSeen: string;
}

/**
 * What the search box asks of the incident list: `host:web-01` an entity, otherwise what the
 * incidents API's `q` means (`#12` an incident number, else title words); the list filters.
 */
export function parseSearch(text: string | undefined): { entity: string } | IncidentSearch {
  const trimmed = (text ?? '').trim();
  if (/^[a-z_]+:\S+$/i.test(trimmed)) return { entity: trimmed };
  return parseIncidentSearch(trimmed);
}

export function sortQueue<T extends QueueIncident>(items: T[], sort: QueueSort, descending: boolean): T[] {
  const key = (incident: T): number | string => {
    switch (sort) {
      case 'number':
        return incident.number;
      case 'severity':
        return incident.severityId;
      case 'lastSeen':
        return incident.lastSeen;
      case 'alertCount':
        return incident.alertCount;
      case 'status':
        return incident.status;
    }
  };
  return [...items].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    const order = x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return descending ? -order : order;
    return b.number - a.number;
  });
}
