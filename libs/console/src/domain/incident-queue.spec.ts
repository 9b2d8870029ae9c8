import { matchesSearch, parseSearch, type QueueIncident, sortQueue } from './incident-queue';

const incident = (number: number, title: string, severityId: number, lastSeen: string): QueueIncident => ({
  id: `id-${number}`,
  number,
  title,
  status: 'new',
  severity: 'high',
  severityId,
  assignee: null,
  alertCount: number,
  lastSeen,
});

describe('incident queue search and sort', () => {
  it('reads the search box as a number, an entity or title words', () => {
    expect(parseSearch(' #42 ')).toEqual({ kind: 'number', number: 42 });
    expect(parseSearch('host:web-01')).toEqual({ kind: 'entity', entity: 'host:web-01' });
    expect(parseSearch('Brute  FORCE')).toEqual({ kind: 'text', words: ['brute', 'force'] });
    expect(parseSearch('')).toEqual({ kind: 'none' });
  });

  it('matches every word of a text search in the title', () => {
    const one = incident(1, 'SSH brute force on web-01', 4, '2026-01-01T00:00:00Z');
    expect(matchesSearch(one, parseSearch('brute web'))).toBe(true);
    expect(matchesSearch(one, parseSearch('brute db'))).toBe(false);
    expect(matchesSearch(one, parseSearch('#1'))).toBe(true);
  });

  it('sorts by the chosen column, ties newest first', () => {
    const items = [
      incident(1, 'a', 3, '2026-01-03T00:00:00Z'),
      incident(2, 'b', 5, '2026-01-01T00:00:00Z'),
      incident(3, 'c', 3, '2026-01-02T00:00:00Z'),
    ];
    expect(sortQueue(items, 'severity', true).map((i) => i.number)).toEqual([2, 3, 1]);
    expect(sortQueue(items, 'lastSeen', false).map((i) => i.number)).toEqual([2, 3, 1]);
    expect(sortQueue(items, 'number', true).map((i) => i.number)).toEqual([3, 2, 1]);
  });
});
