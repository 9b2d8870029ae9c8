import { normalizeAlert } from './normalize-alert';
import { buildSampleAlert } from './samples/sample-alerts';

const receivedAt = new Date('2026-11-30T12:00:00Z');
const time = new Date('2026-11-30T11:00:00Z');

function cefWith(rt: string): string {
  return (buildSampleAlert('cef', { id: 'rt', time, host: 'h' }) as string).replace(/rt=\d+/, `rt=${rt}`);
}

describe('an alert dated by its arrival says why (timeFallback)', () => {
  it('keeps its own plausible time and says nothing', () => {
    const result = normalizeAlert(cefWith(String(time.getTime())), { receivedAt });
    expect(result).toMatchObject({ ok: true, alert: { time } });
    expect(result.ok && result.timeFallback).toBeUndefined();
  });

  it.each([
    ['99999999999999999999', 'the year 5138'],
    ['5', '1970'],
    ['4102444800000', '2100'],
  ])('falls back to the arrival for rt=%s (%s): implausible', (rt) => {
    expect(normalizeAlert(cefWith(rt), { receivedAt })).toMatchObject({
      ok: true,
      alert: { time: receivedAt },
      timeFallback: 'implausible',
    });
  });

  it('refuses an implausible time when there is no arrival time to fall back to', () => {
    expect(normalizeAlert(cefWith('5'))).toMatchObject({
      ok: false,
      error: { code: 'invalid_alert', message: expect.stringContaining('implausible') },
    });
  });

  it('says missing and unreadable apart', () => {
    const wazuh = buildSampleAlert('wazuh', { id: 'w', time, host: 'h' }) as Record<string, unknown>;
    const { timestamp: _dropped, ...timeless } = wazuh;
    expect(normalizeAlert(timeless, { receivedAt })).toMatchObject({ timeFallback: 'missing' });
    expect(normalizeAlert({ ...wazuh, timestamp: 'garbage' }, { receivedAt })).toMatchObject({
      timeFallback: 'unreadable',
    });
  });
});
