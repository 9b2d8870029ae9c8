import {
  AttackCollector,
  MITRE_ENTERPRISE_TACTICS,
  normalizeTechniqueId,
  resolveTactic,
  tacticById,
  tacticByName,
} from './mitre-attack';

describe('MITRE ATT&CK tactics', () => {
  it('lists the 14 Enterprise tactics with unique ids and names', () => {
    expect(MITRE_ENTERPRISE_TACTICS).toHaveLength(14);
    expect(new Set(MITRE_ENTERPRISE_TACTICS.map((tactic) => tactic.id)).size).toBe(14);
    expect(new Set(MITRE_ENTERPRISE_TACTICS.map((tactic) => tactic.name)).size).toBe(14);
    expect(tacticById('TA0011')?.name).toBe('Command and Control');
    expect(tacticById('ta0042')?.name).toBe('Resource Development');
  });

  it.each(['Command and Control', 'command-and-control', 'Command_And_Control', 'COMMAND & CONTROL'])(
    'finds %p by name',
    (name) => {
      expect(tacticByName(name)?.id).toBe('TA0011');
    },
  );

  it('fills the id from a name and the name from an id', () => {
    expect(resolveTactic(null, 'privilege escalation')).toEqual({
      id: 'TA0004',
      name: 'Privilege Escalation',
    });
    expect(resolveTactic('TA0001', null)).toEqual({ id: 'TA0001', name: 'Initial Access' });
  });

  it('keeps unknown tactics as given', () => {
    expect(resolveTactic('TA0108', 'Initial Access (ICS)')).toEqual({
      id: 'TA0108',
      name: 'Initial Access (ICS)',
    });
    expect(resolveTactic(null, 'Stealth')).toEqual({ id: null, name: 'Stealth' });
    expect(resolveTactic('bogus', null)).toBeNull();
  });

  it('normalizes technique and sub-technique ids and rejects others', () => {
    expect(normalizeTechniqueId('t1059.001')).toBe('T1059.001');
    expect(normalizeTechniqueId('T1059')).toBe('T1059');
    expect(normalizeTechniqueId('T159')).toBeNull();
    expect(normalizeTechniqueId('TA0001')).toBeNull();
  });

  it('collects without duplicates and pairs parallel lists only when their lengths agree', () => {
    const collector = new AttackCollector();
    collector.tactic('TA0004', null);
    collector.tactic(null, 'Privilege Escalation');
    collector.techniqueLists(
      ['T1068', 'T1190'],
      ['Exploitation for Privilege Escalation', 'Exploit Public-Facing Application'],
    );
    collector.techniqueLists(['T1078'], ['Valid Accounts', 'extra']);
    collector.technique('t1068', 'other name');
    expect(collector.result()).toEqual({
      tactics: [{ id: 'TA0004', name: 'Privilege Escalation' }],
      techniques: [
        { id: 'T1068', name: 'Exploitation for Privilege Escalation' },
        { id: 'T1190', name: 'Exploit Public-Facing Application' },
        { id: 'T1078', name: null },
      ],
    });
  });
});
