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
      { type: 'user', value: 'corp\\alice', role: 'actor' },
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
});
