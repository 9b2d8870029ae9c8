import { computeIncidentSeverity } from './incident-severity';

const evidence = { current: 1, maxAlertSeverity: 2, maxRuleSeverity: 0, alertCount: 1, hostCount: 1 };

describe('computeIncidentSeverity', () => {
  it('takes the worst alert', () => {
    expect(computeIncidentSeverity(evidence).severityId).toBe(2);
  });

  it('takes a rule match when it is worse than every alert', () => {
    const result = computeIncidentSeverity({ ...evidence, maxRuleSeverity: 4 });
    expect(result.severityId).toBe(4);
    expect(result.reason).toContain('correlation rule');
  });

  it('rises one level once the evidence is broad: ten alerts or three hosts', () => {
    expect(computeIncidentSeverity({ ...evidence, alertCount: 9 }).severityId).toBe(2);
    expect(computeIncidentSeverity({ ...evidence, alertCount: 10 }).severityId).toBe(3);
    expect(computeIncidentSeverity({ ...evidence, hostCount: 3 }).severityId).toBe(3);
  });

  it('never passes critical', () => {
    expect(computeIncidentSeverity({ ...evidence, maxAlertSeverity: 5, alertCount: 50 }).severityId).toBe(5);
  });

  it('never lowers what is already set (an analyst may have raised it)', () => {
    expect(computeIncidentSeverity({ ...evidence, current: 4 }).severityId).toBe(4);
  });

  it('says why in words', () => {
    expect(computeIncidentSeverity({ ...evidence, alertCount: 12, hostCount: 2 }).reason).toBe(
      'Severity raised from informational to medium: its worst alert, 12 alerts on 2 hosts',
    );
  });
});
