import { planIncidentAssignment, planRuleMerges, relationProbes } from './plan-incident-assignment';

const MINUTE = 60_000;
const alert = (id: string, minute: number, ...keys: string[]) => ({ id, timeMs: minute * MINUTE, keys });

function normalise(groups: ReturnType<typeof planIncidentAssignment>) {
  return groups
    .map((group) => ({ ...group, alertIds: [...group.alertIds].sort() }))
    .sort((a, b) => (a.alertIds[0] ?? '').localeCompare(b.alertIds[0] ?? ''));
}

describe('planIncidentAssignment', () => {
  it('groups alerts that share an entity within the window into one new incident', () => {
    const groups = planIncidentAssignment(
      [alert('a1', 0, 'host:web'), alert('a2', 10, 'host:web'), alert('a3', 5, 'host:db')],
      [],
      [],
      30 * MINUTE,
    );
    expect(normalise(groups)).toEqual([
      { incidentId: null, alertIds: ['a1', 'a2'], mergedIncidentIds: [] },
      { incidentId: null, alertIds: ['a3'], mergedIncidentIds: [] },
    ]);
  });

  it('keeps alerts on one entity apart when they are further apart than the window', () => {
    const groups = planIncidentAssignment(
      [alert('a1', 0, 'host:web'), alert('a2', 31, 'host:web')],
      [],
      [],
      30 * MINUTE,
    );
    expect(groups).toHaveLength(2);
  });

  it('chains alerts through intermediate ones within the window', () => {
    const groups = planIncidentAssignment(
      [alert('a1', 0, 'host:web'), alert('a3', 50, 'host:web'), alert('a2', 25, 'host:web')],
      [],
      [],
      30 * MINUTE,
    );
    expect(groups).toEqual([{ incidentId: null, alertIds: ['a1', 'a2', 'a3'], mergedIncidentIds: [] }]);
  });

  it('joins an existing incident and merges the incidents a new alert bridges into the oldest', () => {
    const groups = planIncidentAssignment(
      [alert('bridge', 0, 'host:web', 'user:alice')],
      [
        { alertId: 'bridge', incidentId: 'inc-new' },
        { alertId: 'bridge', incidentId: 'inc-old' },
      ],
      [
        { id: 'inc-new', number: 9 },
        { id: 'inc-old', number: 2 },
      ],
      30 * MINUTE,
    );
    expect(groups).toEqual([{ incidentId: 'inc-old', alertIds: ['bridge'], mergedIncidentIds: ['inc-new'] }]);
  });

  it('gives the same components whatever the order of the batch', () => {
    const alerts = [
      alert('a', 0, 'host:x'),
      alert('b', 20, 'host:x', 'user:u'),
      alert('c', 45, 'user:u'),
      alert('d', 200, 'user:u'),
      alert('e', 210, 'ip:10.0.0.1', 'user:u'),
    ];
    const expected = normalise(planIncidentAssignment(alerts, [], [], 30 * MINUTE));
    expect(expected.map((group) => group.alertIds)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    for (const order of [
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [1, 3, 0, 4, 2],
    ]) {
      const shuffled = order.map((index) => alerts[index] as (typeof alerts)[number]);
      expect(normalise(planIncidentAssignment(shuffled, [], [], 30 * MINUTE))).toEqual(expected);
    }
  });
});

describe('planRuleMerges', () => {
  it('merges every incident a match spans into the oldest, transitively', () => {
    const merges = planRuleMerges(
      [{ incidentIds: ['i3', 'i1'] }, { incidentIds: ['i3', 'i2'] }, { incidentIds: ['i4'] }],
      [
        { id: 'i1', number: 5 },
        { id: 'i2', number: 1 },
        { id: 'i3', number: 7 },
        { id: 'i4', number: 3 },
      ],
    );
    expect(merges).toEqual([{ survivorId: 'i2', mergedIncidentIds: ['i1', 'i3'] }]);
  });
});

describe('relationProbes', () => {
  it('probes once per run of alerts on a key, spanning the run and a window either side', () => {
    const probes = relationProbes(
      [
        alert('a', 0, 'host:x'),
        alert('b', 20, 'host:x'),
        alert('c', 100, 'host:x'),
        alert('d', 10, 'user:u'),
      ],
      30 * MINUTE,
    );
    expect(probes).toEqual([
      { alertId: 'a', key: 'host:x', fromMs: -30 * MINUTE, toMs: 50 * MINUTE },
      { alertId: 'c', key: 'host:x', fromMs: 70 * MINUTE, toMs: 130 * MINUTE },
      { alertId: 'd', key: 'user:u', fromMs: -20 * MINUTE, toMs: 40 * MINUTE },
    ]);
  });

  it('keeps a storm on one key to one probe', () => {
    const storm = Array.from({ length: 500 }, (_, index) => alert(`s${index}`, index / 10, 'host:busy'));
    expect(relationProbes(storm, 30 * MINUTE)).toHaveLength(1);
  });
});
