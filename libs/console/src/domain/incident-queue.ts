/** Sorting and searching of the incident queue page: pure, over the page of incidents loaded. */

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

/** What the search box means: `#12` an incident number, `host:web-01` an entity, else title words. */
export type QueueSearch =
  | { kind: 'none' }
  | { kind: 'number'; number: number }
  | { kind: 'entity'; entity: string }
  | { kind: 'text'; words: string[] };

export function parseSearch(text: string | undefined): QueueSearch {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return { kind: 'none' };
  const number = /^#?(\d{1,12})$/.exec(trimmed);
  if (number) return { kind: 'number', number: Number(number[1]) };
  if (/^[a-z_]+:\S+$/i.test(trimmed)) return { kind: 'entity', entity: trimmed };
  return { kind: 'text', words: trimmed.toLowerCase().split(/\s+/) };
}

export function matchesSearch(incident: QueueIncident, search: QueueSearch): boolean {
  switch (search.kind) {
    case 'none':
    case 'entity':
      return true;
    case 'number':
      return incident.number === search.number;
    case 'text': {
      const title = incident.title.toLowerCase();
      return search.words.every((word) => title.includes(word));
    }
  }
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
