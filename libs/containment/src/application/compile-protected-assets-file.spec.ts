import { compileProtectedAssetsFile } from './compile-protected-assets-file';

describe('compileProtectedAssetsFile', () => {
  it('loads the sound entries and names file, line and path of each problem', () => {
    const text = [
      'protected:',
      '  - { kind: cidr, value: 10.0.0.53, reason: internal resolver }',
      '  - kind: host',
      '    value: DC01',
      '    operations: [isolate_host]',
      '  - { kind: cidr, value: not-an-ip }',
      '  - { kind: planet, value: earth }',
      '  - { kind: host, value: dc01 }',
      '  - { kind: user, value: root, colour: red }',
    ].join('\n');
    const { assets, diagnostics } = compileProtectedAssetsFile('/etc/rampart/protected.yaml', text);
    expect(assets).toEqual([
      expect.objectContaining({
        kind: 'cidr',
        value: '10.0.0.53/32',
        reason: 'internal resolver',
        operations: null,
      }),
      expect.objectContaining({ kind: 'host', value: 'dc01', operations: ['isolate_host'] }),
    ]);
    expect(diagnostics.map((d) => `${d.line} ${d.path}`)).toEqual([
      '6 protected[2].value',
      '7 protected[3].kind',
      '8 protected[4].value',
      '9 protected[5].colour',
    ]);
  });

  it('reports a YAML syntax error and loads nothing', () => {
    const { assets, diagnostics } = compileProtectedAssetsFile('f.yaml', 'protected:\n  - [unclosed');
    expect(assets).toEqual([]);
    expect(diagnostics[0]).toMatchObject({ file: 'f.yaml', message: expect.stringMatching(/^YAML/) });
  });
});
