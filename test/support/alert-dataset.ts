import { ALERT_FORMATS, buildSampleAlert, type SeverityName } from '@rampart/alerts';

export interface DatasetRecord {
  key: string;
  value: string;
}

export interface AlertDataset {
  records: DatasetRecord[];
  /** Alert titles per expected incident, each list sorted, the lists sorted by first title. */
  expectedIncidents: string[][];
}

const SEVERITIES: SeverityName[] = ['low', 'medium', 'high', 'informational', 'critical'];
const TACTICS = ['TA0001', 'TA0002', 'TA0006', 'TA0007', 'TA0008', 'TA0011'];
const MINUTE = 60_000;

/**
 * A deterministic storm of alerts in every supported format. Group g has its own host, source
 * and destination IP and user; groups 2k and 2k+1 overlap in time, and one alert of group 2k
 * carries group 2k+1's source IP, so each pair must end up as one incident. Pairs are hours
 * apart, so nothing else may join them.
 */
export function buildAlertDataset(options: {
  pairs: number;
  perGroup: number;
  start?: Date;
  tag?: string;
}): AlertDataset {
  const start = (options.start ?? new Date('2026-11-01T00:00:00Z')).getTime();
  const tag = options.tag ?? 'ds';
  const records: DatasetRecord[] = [];
  const expected: string[][] = [];
  let sequence = 0;
  for (let pair = 0; pair < options.pairs; pair += 1) {
    const incident: string[] = [];
    for (const side of [0, 1]) {
      const group = pair * 2 + side;
      const base = start + pair * 4 * 60 * MINUTE + side * 5 * MINUTE;
      for (let index = 0; index < options.perGroup; index += 1) {
        const id = `${tag}-${group}-${index}`;
        const title = `alert ${id}`;
        const bridge = side === 0 && index === options.perGroup - 1;
        const format = ALERT_FORMATS[sequence % ALERT_FORMATS.length] as (typeof ALERT_FORMATS)[number];
        sequence += 1;
        const native = buildSampleAlert(format, {
          id,
          title,
          time: new Date(base + index * 15_000),
          host: `g${group}-host`,
          srcIp: bridge ? groupIp(198, group + 1) : groupIp(198, group),
          dstIp: groupIp(203, group),
          user: `g${group}-user`,
          severity: SEVERITIES[index % SEVERITIES.length] as SeverityName,
          tacticId: TACTICS[index % TACTICS.length] as string,
        });
        records.push({ key: id, value: typeof native === 'string' ? native : JSON.stringify(native) });
        incident.push(title);
      }
    }
    expected.push(incident.sort());
  }
  return { records, expectedIncidents: sortGroups(expected) };
}

function groupIp(first: number, group: number): string {
  return `${first}.${18 + ((group >> 16) & 1)}.${(group >> 8) & 255}.${group & 255}`;
}

export function sortGroups(groups: string[][]): string[][] {
  return groups.map((group) => [...group].sort()).sort((a, b) => ((a[0] ?? '') < (b[0] ?? '') ? -1 : 1));
}

/** Records no normalizer can read, each meant for the dead-letter topic. */
export function malformedRecords(count: number): DatasetRecord[] {
  const kinds = [
    '{"truncated": ',
    '{"hello":"world"}',
    'not an alert at all',
    '{"event_type":"flow","src_ip":"10.0.0.1"}',
    '[1, 2',
  ];
  return Array.from({ length: count }, (_, index) => ({
    key: `bad-${index}`,
    value: kinds[index % kinds.length] as string,
  }));
}
