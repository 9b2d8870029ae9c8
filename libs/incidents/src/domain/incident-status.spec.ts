import { allowedTransitions, canTransition, INCIDENT_STATUSES } from './incident-status';

describe('incident lifecycle', () => {
  it('moves forward through acknowledgement, containment and resolution', () => {
    expect(canTransition('new', 'acknowledged')).toBe(true);
    expect(canTransition('acknowledged', 'contained')).toBe(true);
    expect(canTransition('contained', 'resolved')).toBe(true);
    expect(canTransition('resolved', 'closed')).toBe(true);
  });

  it('reopens a resolved incident but never a closed or merged one', () => {
    expect(canTransition('resolved', 'acknowledged')).toBe(true);
    expect(allowedTransitions('closed')).toEqual([]);
    expect(allowedTransitions('merged')).toEqual([]);
  });

  it('never goes back from contained to new, nor to the same status', () => {
    expect(canTransition('contained', 'new')).toBe(false);
    for (const status of INCIDENT_STATUSES) expect(canTransition(status, status)).toBe(false);
  });

  it('lets nobody set merged', () => {
    for (const status of INCIDENT_STATUSES) expect(canTransition(status, 'merged')).toBe(false);
  });
});
