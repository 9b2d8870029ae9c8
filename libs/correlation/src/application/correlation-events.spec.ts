import { buildSampleAlert, normalizeAlert, type NormalizedAlert, type StoredAlert } from '@rampart/alerts';
import type { OpenIncidentAlert } from '@rampart/incidents';
import { storableJsonText } from '@rampart/text';

import { freshEvent, toEvent } from './correlation-events';

function stored(change: (alert: NormalizedAlert) => NormalizedAlert): StoredAlert {
  const native = buildSampleAlert('elastic', {
    id: 'fresh-1',
    title: 'Suspicious PowerShell execution',
    time: new Date('2026-11-30T09:00:00Z'),
    host: 'web-01',
    severity: 'high',
    tacticId: 'TA0002',
  });
  const normalized = normalizeAlert(native, { receivedAt: new Date('2026-11-30T09:00:05Z') });
  if (!normalized.ok) throw new Error(normalized.error.message);
  return { id: '00000000-0000-4000-8000-000000000001', identity: 'fresh-1', alert: change(normalized.alert) };
}

/** The alert as the incidents' read returns it: its JSON as jsonb stores it, parsed back. */
function readBack({ id, alert }: StoredAlert): OpenIncidentAlert {
  const { title, source, entities, tactics, techniques } = JSON.parse(
    storableJsonText(
      JSON.stringify({
        title: alert.title,
        source: alert.source,
        entities: alert.entities,
        tactics: alert.tactics,
        techniques: alert.techniques,
      }),
    ),
  ) as Pick<OpenIncidentAlert, 'title' | 'source' | 'entities' | 'tactics' | 'techniques'>;
  return {
    id,
    time: alert.time,
    severityId: alert.severityId,
    title,
    source,
    entities,
    tactics,
    techniques,
    incidentId: '',
  };
}

const HOSTILE = [
  'nul \u0000 inside',
  'lone high \ud800 surrogate',
  'lone low \udfff surrogate',
  'paired \ud83d\ude00 stays',
  'escaped-looking \\u0000 text stays',
  'clean',
];

describe('a new alert as the rules see it', () => {
  it.each(HOSTILE)('is what reading it back from PostgreSQL gives, for text such as %j', (text) => {
    const alert = stored((normalized) => ({
      ...normalized,
      title: `title ${text}`,
      source: `source ${text}`,
      entities: [
        ...normalized.entities,
        { type: 'user', value: `corp\\${text}`, role: 'actor', name: text, domain: `corp${text}` },
      ],
      tactics: [...normalized.tactics, { id: `TA${text}`, name: null }, { id: null, name: text }],
      techniques: [...normalized.techniques, { id: `T${text}`, name: null }],
    }));
    expect(freshEvent(alert)).toEqual(toEvent(readBack(alert)));
  });

  it('shares the entities of an alert whose text is clean instead of copying them', () => {
    const alert = stored((normalized) => normalized);
    const event = freshEvent(alert);
    event.entities.forEach((entity, index) => expect(entity).toBe(alert.alert.entities[index]));
  });
});
