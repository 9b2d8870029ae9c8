import { normalizeAlert } from './normalize-alert';
import { toOcsfDetectionFinding } from './ocsf-detection-finding';

describe('toOcsfDetectionFinding', () => {
  const result = normalizeAlert(
    {
      '@timestamp': '2024-05-23T12:54:16.568Z',
      message: 'Malicious Behavior Detection Alert: Network Module Loaded from Suspicious Unbacked Memory',
      event: { kind: 'alert', module: 'endpoint', id: 'NYwRhsgWHlxrlDVV', severity: 99 },
      host: { name: 'clauhvmvictim05', ip: ['192.168.58.17', '127.0.0.1'] },
      user: { name: 'Administrator', domain: 'CLAUHVMVICTIM05' },
      rule: { id: 'r-1', name: 'Network Module Loaded from Suspicious Unbacked Memory' },
      threat: [
        {
          framework: 'MITRE ATT&CK',
          tactic: { id: 'TA0005', name: 'Defense Evasion' },
          technique: [{ id: 'T1055', name: 'Process Injection' }],
        },
      ],
    },
    { receivedAt: new Date('2024-05-23T12:55:00Z') },
  );
  if (!result.ok) throw new Error(result.error.message);
  const { raw: _raw, ...alert } = result.alert;
  const finding = toOcsfDetectionFinding({
    id: '6f1c2a34-0000-4000-8000-000000000001',
    receivedAt: new Date('2024-05-23T12:55:00Z'),
    alert,
  });

  it('is a Detection Finding Create with the alert severity, time and uid', () => {
    expect(finding).toMatchObject({
      class_uid: 2004,
      category_uid: 2,
      activity_id: 1,
      type_uid: 200401,
      severity_id: 5,
      severity: 'Critical',
      time: Date.parse('2024-05-23T12:54:16.568Z'),
      finding_info: {
        uid: 'NYwRhsgWHlxrlDVV',
        title: 'Malicious Behavior Detection Alert: Network Module Loaded from Suspicious Unbacked Memory',
        analytic: { type_id: 1, uid: 'r-1', name: 'Network Module Loaded from Suspicious Unbacked Memory' },
        attacks: [
          {
            technique: { uid: 'T1055', name: 'Process Injection' },
            tactic: { uid: 'TA0005', name: 'Defense Evasion' },
          },
        ],
      },
      metadata: {
        uid: '6f1c2a34-0000-4000-8000-000000000001',
        labels: ['format:elastic', 'source:elastic:endpoint'],
      },
    });
  });

  it('lists the entities as observables with OCSF type ids', () => {
    expect(finding['observables']).toEqual([
      { name: 'host.related', type_id: 1, type: 'Hostname', value: 'clauhvmvictim05' },
      { name: 'ip.related', type_id: 2, type: 'IP Address', value: '192.168.58.17' },
      { name: 'user.actor', type_id: 4, type: 'User Name', value: 'clauhvmvictim05\\administrator' },
    ]);
  });

  it('says unknown severity as OCSF does', () => {
    const unknown = toOcsfDetectionFinding({
      id: '6f1c2a34-0000-4000-8000-000000000002',
      receivedAt: new Date(0),
      alert: { ...alert, severityId: 0 },
    });
    expect(unknown).toMatchObject({ severity_id: 0, severity: 'Unknown' });
  });
});
