import { normalizeCefLine, parseCefLine, type CefEvent } from './cef.normalizer';

const context = { receivedAt: new Date('2024-01-01T00:00:00Z') };

function parse(line: string): CefEvent {
  const result = parseCefLine(line);
  if (!result.ok) throw new Error(result.message);
  return result.event;
}

describe('parseCefLine', () => {
  it('unescapes \\| and \\\\ in header fields and does not split on an escaped pipe', () => {
    const event = parse(
      'CEF:0|security|threatmanager|1.0|100|detected a \\| in message and a \\\\ in packet|10|src=10.0.0.1',
    );
    expect(event.name).toBe('detected a | in message and a \\ in packet');
    expect(event.severity).toBe('10');
    expect(event.extension.get('src')).toBe('10.0.0.1');
  });

  it('unescapes \\=, \\\\, \\n and \\r in extension values and keeps other backslashes', () => {
    const event = parse(
      'CEF:0|v|p|1|c|n|5|act=blocked a \\= dst=1.1.1.1 msg=a\\nb\\rc filePath=C:\\\\Windows\\\\x.exe other=a\\tb',
    );
    expect(event.extension.get('act')).toBe('blocked a =');
    expect(event.extension.get('dst')).toBe('1.1.1.1');
    expect(event.extension.get('msg')).toBe('a\nb\rc');
    expect(event.extension.get('filePath')).toBe('C:\\Windows\\x.exe');
    expect(event.extension.get('other')).toBe('a\\tb');
  });

  it('keeps unescaped spaces, "=" inside values, empty values and pipes in the extension', () => {
    const event = parse(
      'CEF:0|v|p|1|c|n|5|requestClientApplication=Mozilla/5.0 (Windows NT 10.0; Win64) Safari/537.36 msg=lang=en Empty= next=|pipe|',
    );
    expect(event.extension.get('requestClientApplication')).toBe(
      'Mozilla/5.0 (Windows NT 10.0; Win64) Safari/537.36',
    );
    expect(event.extension.get('msg')).toBe('lang=en');
    expect(event.extension.get('Empty')).toBe('');
    expect(event.extension.get('next')).toBe('|pipe|');
  });

  it('strips an RFC 3164 prefix, a space after "CEF:", quotes around values and trailing padding', () => {
    const event = parse(
      'Aug  3 10:49:35 Barracuda CEF: 0|BarracudaNetworks|WAAS|BNWAS-1.0|WAF|WAF|4| duser="-" src=1.2.3.4   ',
    );
    expect(event.deviceVendor).toBe('BarracudaNetworks');
    expect(event.extension.get('duser')).toBe('-');
    expect(event.extension.get('src')).toBe('1.2.3.4');
    expect(event.syslogTimestamp).toBeNull();
  });

  it('takes the timestamp of an RFC 5424 prefix', () => {
    const event = parse('<134>1 2024-05-01T10:00:00.000Z host app - - - CEF:0|v|p|1|c|n|5|src=1.2.3.4');
    expect(event.syslogTimestamp).toBe('2024-05-01T10:00:00.000Z');
  });

  it('keeps hostile keys as plain map entries', () => {
    const event = parse('CEF:0|v|p|1|c|n|5|__proto__=x constructor=y');
    expect(event.extension.get('__proto__')).toBe('x');
    expect(event.extension.get('constructor')).toBe('y');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('refuses a header with fewer than 7 fields, naming the header', () => {
    expect(parseCefLine('CEF:0|vendor|product|1.0')).toMatchObject({ ok: false, path: 'header' });
    expect(parseCefLine('CEF:7|v|p|1|c|n|5|')).toMatchObject({ ok: false, path: 'version' });
    expect(parseCefLine('no marker')).toMatchObject({ ok: false, path: 'header' });
  });

  it('parses a megabyte-long extension in linear time', () => {
    const long = `CEF:0|v|p|1|c|n|5|msg=${'a '.repeat(500_000)}src=1.2.3.4 x=${'b'.repeat(500_000)}`;
    const started = Date.now();
    const event = parse(long);
    expect(event.extension.get('src')).toBe('1.2.3.4');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('normalizeCefLine', () => {
  it('maps header and extension fields and reads rt as epoch milliseconds', () => {
    const result = normalizeCefLine(
      'CEF:0|Acme|Guard|2.1|4711|Port scan|Very-High|rt=1659523775038 src=10.1.1.1 dst=10.2.2.2 suser=Bob duser=root dhost=Web-01 shost=- msg=scan seen',
      context,
    );
    expect(result).toMatchObject({
      ok: true,
      alert: {
        source: 'cef:acme:guard',
        externalId: null,
        title: 'Port scan',
        ruleId: '4711',
        severityId: 5,
        vendorSeverity: 'Very-High',
        description: 'scan seen',
        time: new Date(1659523775038),
        entities: [
          { type: 'ip', value: '10.1.1.1', role: 'source' },
          { type: 'ip', value: '10.2.2.2', role: 'destination' },
          { type: 'host', value: 'web-01', role: 'destination' },
          { type: 'user', value: 'bob', role: 'actor' },
          { type: 'user', value: 'web-01\\root', role: 'target' },
        ],
      },
    });
  });

  it('reads rt written as a date string', () => {
    const result = normalizeCefLine('CEF:0|v|p|1|c|n|5|rt=Aug 03 2022 10:49:35 UTC', context);
    expect(result.ok && result.alert.time.toISOString()).toBe('2022-08-03T10:49:35.000Z');
  });

  it('refuses a non-string input', () => {
    expect(normalizeCefLine({ line: 'CEF:0|' }, context)).toMatchObject({
      ok: false,
      error: { code: 'invalid_alert' },
    });
  });
});
