import { EntityCollector } from './entity-collector';

describe('EntityCollector', () => {
  it('lower-cases hosts, domains, users and hashes, and keeps URLs and processes as written', () => {
    const e = new EntityCollector();
    e.host('DC01.Lab.Local.', 'related');
    e.domain('Evil.Example.COM', 'destination');
    e.user('CORP\\Alice', 'actor');
    e.fileHash('DE96A6E69944335375DC1AC238336066889D9FFC7D73628EF4FE1B1B160AB32C');
    e.url('https://Example.com/A', 'related');
    e.process('C:\\Windows\\System32\\cmd.exe', 'related');
    expect(e.build()).toEqual([
      { type: 'host', value: 'dc01.lab.local', role: 'related' },
      { type: 'domain', value: 'evil.example.com', role: 'destination' },
      { type: 'user', value: 'corp\\alice', role: 'actor', name: 'alice', domain: 'corp' },
      {
        type: 'file_hash',
        value: 'de96a6e69944335375dc1ac238336066889d9ffc7d73628ef4fe1b1b160ab32c',
        role: 'related',
      },
      { type: 'url', value: 'https://Example.com/A', role: 'related' },
      { type: 'process', value: 'C:\\Windows\\System32\\cmd.exe', role: 'related' },
    ]);
  });

  it('drops placeholders, invalid IPs, unspecified addresses, non-hashes and relative URLs', () => {
    const e = new EntityCollector();
    e.user('-', 'actor');
    e.user('', 'actor');
    e.user('N/A', 'actor');
    e.ip('-', 'source');
    e.ip('999.1.1.1', 'source');
    e.ip('0.0.0.0', 'source');
    e.fileHash('sha1_value');
    e.fileHash('a'.repeat(128));
    e.url('/index.php', 'related');
    e.host(42, 'related');
    e.host({ name: 'x' }, 'related');
    expect(e.build()).toEqual([]);
  });

  it('records an address written in a host or domain field as an IP', () => {
    const e = new EntityCollector();
    e.host('13.86.36.66', 'destination');
    e.domain('2001:DB8::1', 'related');
    expect(e.build()).toEqual([
      { type: 'ip', value: '13.86.36.66', role: 'destination' },
      { type: 'ip', value: '2001:db8::1', role: 'related' },
    ]);
  });

  it('de-duplicates, and drops a related entry already known with a role', () => {
    const e = new EntityCollector();
    e.ip(['10.0.0.1', '10.0.0.1'], 'related');
    e.ip('10.0.0.1', 'source');
    e.ip('010.0.0.1', 'source');
    e.ip('10.0.0.1', 'destination');
    e.user(['Bob', 'bob'], 'related');
    expect(e.build()).toEqual([
      { type: 'ip', value: '10.0.0.1', role: 'source' },
      { type: 'ip', value: '10.0.0.1', role: 'destination' },
      { type: 'user', value: 'bob', role: 'related' },
    ]);
  });

  describe('user identity (account + first label of the domain)', () => {
    const userValues = (add: (e: EntityCollector) => void): string[] => {
      const e = new EntityCollector();
      add(e);
      return e.build().map((entity) => entity.value);
    };

    it('makes CORP\\jdoe, jdoe@corp.example.com and jdoe with domain CORP one user', () => {
      expect(userValues((e) => e.user('CORP\\jdoe', 'actor'))).toEqual(['corp\\jdoe']);
      expect(userValues((e) => e.user('jdoe@corp.example.com', 'actor'))).toEqual(['corp\\jdoe']);
      expect(userValues((e) => e.user('jdoe', 'actor', 'CORP'))).toEqual(['corp\\jdoe']);
    });

    it('keeps account and domain apart on the entity', () => {
      const e = new EntityCollector();
      e.user('jdoe@Corp.Example.com', 'actor');
      expect(e.build()).toEqual([
        { type: 'user', value: 'corp\\jdoe', role: 'actor', name: 'jdoe', domain: 'corp.example.com' },
      ]);
    });

    it('keeps local accounts of different machines apart', () => {
      expect(userValues((e) => e.user('WS1\\admin', 'actor'))).not.toEqual(
        userValues((e) => e.user('WS2\\admin', 'actor')),
      );
      expect(userValues((e) => e.user('admin', 'actor', 'WS1'))).toEqual(['ws1\\admin']);
    });

    it('keeps a bare account apart from the same name in a domain', () => {
      expect(userValues((e) => e.user('jdoe', 'actor'))).toEqual(['jdoe']);
    });

    it("scopes NT AUTHORITY and BUILTIN accounts to the alert's only host", () => {
      const on = (host: string) =>
        userValues((e) => {
          e.host(host, 'related');
          e.user('SYSTEM', 'actor', 'NT AUTHORITY');
        });
      expect(on('ws1.corp.example.com')).toEqual(['ws1.corp.example.com', 'ws1\\system']);
      expect(on('ws2')).toEqual(['ws2', 'ws2\\system']);
    });

    it('drops a bare related mention of an account already known with its domain', () => {
      expect(
        userValues((e) => {
          e.user('temp123', 'actor', 'DOMAIN');
          e.user('temp123', 'related');
        }),
      ).toEqual(['domain\\temp123']);
    });
  });

  it('drops loopback and link-local addresses a host reports for itself', () => {
    const e = new EntityCollector();
    e.hostAddress(['127.0.0.1', '::1', 'fe80::4850:4f4f:4b53:8103', '169.254.1.1', '10.201.0.34'], 'related');
    expect(e.build()).toEqual([{ type: 'ip', value: '10.201.0.34', role: 'related' }]);
  });
});
