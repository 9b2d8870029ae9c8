import { alertIdentity } from '../alert-identity';
import { normalizeAlert } from '../normalize-alert';
import type { NormalizedAlert } from '../normalized-alert';

const receivedAt = new Date('2024-01-01T00:00:00Z');
const normalized = (input: unknown): NormalizedAlert => {
  const result = normalizeAlert(input, { receivedAt });
  if (!result.ok) throw new Error(result.error.message);
  return result.alert;
};

// Splunk's "for each result" trigger sends one webhook per result row, every one with the sid of
// the search run that found them.
describe('Splunk webhook identity', () => {
  const envelope = {
    sid: 'scheduler__admin__search__RMD5_at_1717660800_132',
    search_name: 'Brute force',
    app: 'search',
  };
  const row = (src: string) => ({ _time: '1717660822', src, user: 'CORP\\jdoe', urgency: 'high' });

  it('tells rows of one search run apart', () => {
    const first = normalized({ ...envelope, result: row('203.0.113.4') });
    const second = normalized({ ...envelope, result: row('203.0.113.5') });
    expect(alertIdentity(first)).not.toBe(alertIdentity(second));
  });

  it('gives the same row delivered twice, keys in any order, one identity', () => {
    const once = normalized({ ...envelope, result: row('203.0.113.4') });
    const { user, src, ...rest } = row('203.0.113.4');
    const again = normalized({ result: { user, ...rest, src }, ...envelope });
    expect(alertIdentity(again)).toBe(alertIdentity(once));
  });

  it('reads every row of `results`, entities from each', () => {
    const alert = normalized({ ...envelope, results: [row('203.0.113.4'), row('203.0.113.5')] });
    expect(alert.entities.filter((entity) => entity.type === 'ip').map((entity) => entity.value)).toEqual([
      '203.0.113.4',
      '203.0.113.5',
    ]);
    expect(alert.entities).toContainEqual({
      type: 'user',
      value: 'corp\\jdoe',
      role: 'related',
      name: 'jdoe',
      domain: 'corp',
    });
  });
});

describe('Splunk notable index rows', () => {
  it('takes the correlation search from _raw when the row has no search_name, and the rule from source', () => {
    const alert = normalized({
      _raw: '1739168412, search_name="Access - Excessive Failed Logins - Rule", src="89.160.20.112", count="5"',
      _time: '2025-02-10T11:50:16.000+05:30',
      index: 'notable',
      source: 'Access - Excessive Failed Logins - Rule',
      sourcetype: 'stash',
      host: 'sh-01',
    });
    expect(alert).toMatchObject({
      format: 'splunk',
      title: 'Access - Excessive Failed Logins - Rule',
      ruleId: 'Access - Excessive Failed Logins - Rule',
      severityId: 0,
      time: new Date('2025-02-10T06:20:16.000Z'),
    });
    expect(alert.entities).toEqual([
      { type: 'ip', value: '89.160.20.112', role: 'source' },
      { type: 'host', value: 'sh-01', role: 'observer' },
    ]);
  });
});

describe('Splunk HEC events', () => {
  it('titles an alert by alert_name and identifies it by its id, not by the sourcetype', () => {
    const alert = normalized({
      event: {
        id: 84078,
        alert_name: 'YAHMI - Suspicious Execution Blocked By Trellix',
        severity: 'Critical',
      },
      sourcetype: 'test_sourcetype',
    });
    expect(alert).toMatchObject({
      title: 'YAHMI - Suspicious Execution Blocked By Trellix',
      externalId: '84078',
      severityId: 5,
    });
  });
});
