import {
  cefSeverity,
  elasticSeverity,
  ocsfSeverity,
  severityFromName,
  splunkSeverity,
  suricataSeverity,
  wazuhSeverity,
} from './severity';

describe('severity mapping', () => {
  it('maps Elastic labels, falling back to risk score bands', () => {
    expect(['low', 'medium', 'high', 'critical'].map((label) => elasticSeverity(label, null))).toEqual([
      2, 3, 4, 5,
    ]);
    expect(elasticSeverity('HIGH', 10)).toBe(4);
    expect([0, 21, 22, 47, 48, 73, 74, 100].map((score) => elasticSeverity(null, score))).toEqual([
      2, 2, 3, 3, 4, 4, 5, 5,
    ]);
    expect(elasticSeverity(null, null)).toBe(0);
    // Elastic Defend's own 0-100 event.severity, in the same bands, when there is no risk score.
    expect([21, 47, 73, 99].map((score) => elasticSeverity(null, null, score))).toEqual([2, 3, 4, 5]);
  });

  it('maps OCSF severity_id with Unknown as unknown, Other by its label, and Fatal as critical', () => {
    expect([1, 2, 3, 4, 5].map((id) => ocsfSeverity(id, null))).toEqual([1, 2, 3, 4, 5]);
    expect(ocsfSeverity(0, 'Unknown')).toBe(0);
    expect(ocsfSeverity(99, 'Other')).toBe(0);
    expect(ocsfSeverity(99, 'Substantial')).toBe(4);
    expect(ocsfSeverity(6, 'Fatal')).toBe(5);
    expect(ocsfSeverity(null, 'High')).toBe(4);
    expect(ocsfSeverity(42, null)).toBe(0);
  });

  it('maps Wazuh levels in the bands 0-3, 4-6, 7-10, 11-13, 14-16', () => {
    const levels = Array.from({ length: 18 }, (_, level) => wazuhSeverity(level));
    expect(levels).toEqual([1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 5]);
    expect(wazuhSeverity(null)).toBe(1);
  });

  it('maps Suricata priorities with 1 as the highest', () => {
    expect([1, 2, 3, 4, 5, 255].map((priority) => suricataSeverity(priority))).toEqual([4, 3, 2, 1, 1, 1]);
    expect(suricataSeverity(null)).toBe(2);
  });

  it('lets ET signature_severity raise a Suricata severity but never lower it', () => {
    expect(suricataSeverity(1, 'Critical')).toBe(5);
    expect(suricataSeverity(3, 'Major')).toBe(4);
    expect(suricataSeverity(1, 'Informational')).toBe(4);
    expect(suricataSeverity(2, 'nonsense')).toBe(3);
  });

  it('maps Splunk urgency names', () => {
    expect(['informational', 'low', 'medium', 'high', 'critical'].map(splunkSeverity)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(splunkSeverity('unknown')).toBe(0);
    expect(splunkSeverity(null)).toBe(0);
  });

  it('maps CEF integers and words', () => {
    expect(Array.from({ length: 11 }, (_, n) => cefSeverity(String(n)))).toEqual([
      2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5,
    ]);
    expect(cefSeverity('Very-High')).toBe(5);
    expect(cefSeverity('High')).toBe(4);
    expect(cefSeverity('Medium')).toBe(3);
    expect(cefSeverity('low')).toBe(2);
    expect(cefSeverity('Unknown')).toBe(0);
    expect(cefSeverity('')).toBe(0);
    expect(cefSeverity('11')).toBe(5);
  });

  it('reads severity words case-insensitively and rejects others', () => {
    expect(severityFromName(' Critical ')).toBe(5);
    expect(severityFromName('info')).toBe(1);
    expect(severityFromName('urgent')).toBeNull();
    expect(severityFromName('nonsense')).toBeNull();
    expect(severityFromName('x'.repeat(100))).toBeNull();
  });

  it('reads the words vendors really use, and never turns an unknown word into informational', () => {
    // FortiWeb threat levels, Check Point, syslog levels, Emerging Threats signature_severity.
    expect(['Low', 'Moderate', 'Substantial', 'Severe', 'Critical'].map(severityFromName)).toEqual([
      2, 3, 4, 5, 5,
    ]);
    expect(['notice', 'warning', 'error', 'emergency', 'Minor', 'Major'].map(severityFromName)).toEqual([
      2, 3, 4, 5, 2, 4,
    ]);
    expect(cefSeverity('Substantial')).toBe(4);
    expect(cefSeverity('Gargantuan')).toBe(0);
  });

  it("reads the vendor's own CEF severity field when the header says Unknown or nothing", () => {
    // Check Point: header Unknown, cp_severity=Very-High.
    expect(cefSeverity('Unknown', ['Very-High'])).toBe(5);
    expect(cefSeverity('', ['INFO'])).toBe(1);
    expect(cefSeverity('High', ['Low'])).toBe(4);
    expect(cefSeverity('Unknown', ['n/a'])).toBe(0);
  });
});
